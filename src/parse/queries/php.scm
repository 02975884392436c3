; Tags of PHP for src/parse (captures: src/parse/README.md). Adapted from queries/tags.scm of
; tree-sitter/tree-sitter-php (MIT License) and from aider's aider/queries/tree-sitter-languages/php-tags.scm (Apache License 2.0).

(class_declaration name: (name) @name) @definition.class
(interface_declaration name: (name) @name) @definition.interface
(trait_declaration name: (name) @name) @definition.interface
(enum_declaration name: (name) @name) @definition.enum
(namespace_definition name: (namespace_name) @name body: (_)) @definition.namespace
(function_definition name: (name) @name) @definition.function
(method_declaration name: (name) @name) @definition.method

(function_call_expression function: (name) @name) @reference.call
(function_call_expression function: (qualified_name (name) @name)) @reference.call
(member_call_expression name: (name) @name) @reference.call
(nullsafe_member_call_expression name: (name) @name) @reference.call
(scoped_call_expression name: (name) @name) @reference.call
(scoped_call_expression scope: (name) @name) @reference.type
(member_access_expression name: (name) @name) @reference.member
(object_creation_expression (name) @name) @reference.type
(object_creation_expression (qualified_name (name) @name)) @reference.type
(named_type (name) @name) @reference.type
(named_type (qualified_name (name) @name)) @reference.type
(base_clause (name) @name) @reference.type
(class_interface_clause (name) @name) @reference.type
(class_constant_access_expression . (name) @name) @reference.type
(attribute (name) @name) @reference.type

(comment) @doc
