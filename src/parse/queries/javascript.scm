; Tags of JavaScript for src/parse (captures: src/parse/README.md). Adapted from queries/tags.scm of
; tree-sitter/tree-sitter-javascript (MIT License) and from aider's aider/queries/tree-sitter-languages/javascript-tags.scm (Apache License 2.0).
; inherits: ecma, jsx

(field_definition property: (property_identifier) @name value: [(arrow_function) (function_expression)]) @definition.method

(class_heritage (identifier) @name) @reference.type
(class_heritage (member_expression property: (property_identifier) @name)) @reference.type
