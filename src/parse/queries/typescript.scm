; Tags of TypeScript for src/parse (captures: src/parse/README.md). Adapted from queries/tags.scm of
; tree-sitter/tree-sitter-typescript (MIT License) and from aider's aider/queries/tree-sitter-languages/typescript-tags.scm (Apache License 2.0).
; inherits: ecma

(abstract_class_declaration name: (type_identifier) @name) @definition.class
(interface_declaration name: (type_identifier) @name) @definition.interface
(type_alias_declaration name: (type_identifier) @name) @definition.type
(enum_declaration name: (identifier) @name) @definition.enum
(internal_module name: (_) @name) @definition.namespace
(function_signature name: (identifier) @name) @definition.function
(method_signature name: (property_identifier) @name) @definition.method
(abstract_method_signature name: (property_identifier) @name) @definition.method
(public_field_definition name: (property_identifier) @name value: [(arrow_function) (function_expression)]) @definition.method

(type_identifier) @name @reference.type
(extends_clause value: (identifier) @name) @reference.type
(extends_clause value: (member_expression property: (property_identifier) @name)) @reference.type
