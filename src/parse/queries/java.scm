; Tags of Java for src/parse (captures: src/parse/README.md). Adapted from queries/tags.scm of
; tree-sitter/tree-sitter-java (MIT License) and from aider's aider/queries/tree-sitter-languages/java-tags.scm (Apache License 2.0).

(class_declaration name: (identifier) @name) @definition.class
(record_declaration name: (identifier) @name) @definition.class
(interface_declaration name: (identifier) @name) @definition.interface
(annotation_type_declaration name: (identifier) @name) @definition.interface
(enum_declaration name: (identifier) @name) @definition.enum
(method_declaration name: (identifier) @name) @definition.method
(constructor_declaration name: (identifier) @name) @definition.method

(method_invocation name: (identifier) @name) @reference.call
(method_invocation object: (identifier) @name (#match? @name "^[A-Z]")) @reference.type
(field_access field: (identifier) @name) @reference.member
(field_access object: (identifier) @name (#match? @name "^[A-Z]")) @reference.type
(type_identifier) @name @reference.type
(marker_annotation name: (identifier) @name) @reference.type
(annotation name: (identifier) @name) @reference.type

[(line_comment) (block_comment)] @doc
