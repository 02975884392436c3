; Tags of Python for src/parse (captures: src/parse/README.md). Adapted from queries/tags.scm of
; tree-sitter/tree-sitter-python (MIT License) and from aider's aider/queries/tree-sitter-languages/python-tags.scm (Apache License 2.0).

(class_definition name: (identifier) @name) @definition.class
(function_definition name: (identifier) @name) @definition.function

(call function: (identifier) @name) @reference.call
(call function: (attribute attribute: (identifier) @name)) @reference.call
(attribute attribute: (identifier) @name) @reference.member
(attribute object: (identifier) @name (#match? @name "^[A-Z]")) @reference.type
(type (identifier) @name) @reference.type
(type (attribute attribute: (identifier) @name)) @reference.type
(generic_type (identifier) @name) @reference.type
(class_definition superclasses: (argument_list (identifier) @name)) @reference.type
(class_definition superclasses: (argument_list (attribute attribute: (identifier) @name))) @reference.type
(decorator (identifier) @name) @reference.call

(comment) @doc
