; Tags of C# for src/parse (captures: src/parse/README.md). Adapted from queries/tags.scm of
; tree-sitter/tree-sitter-c-sharp (MIT License) and from aider's aider/queries/tree-sitter-languages/c_sharp-tags.scm (Apache License 2.0).

(class_declaration name: (identifier) @name) @definition.class
(struct_declaration name: (identifier) @name) @definition.class
(record_declaration name: (identifier) @name) @definition.class
(interface_declaration name: (identifier) @name) @definition.interface
(enum_declaration name: (identifier) @name) @definition.enum
(delegate_declaration name: (identifier) @name) @definition.type
(namespace_declaration name: (_) @name) @definition.namespace
(method_declaration name: (identifier) @name) @definition.method
(constructor_declaration name: (identifier) @name) @definition.method
(local_function_statement name: (identifier) @name) @definition.function
(property_declaration name: (identifier) @name) @definition.property

(invocation_expression function: (identifier) @name) @reference.call
(invocation_expression function: (member_access_expression name: (identifier) @name)) @reference.call
(invocation_expression function: (member_access_expression name: (generic_name (identifier) @name))) @reference.call
(member_access_expression name: (identifier) @name) @reference.member
(member_access_expression expression: (identifier) @name (#match? @name "^[A-Z]")) @reference.type
(object_creation_expression type: (identifier) @name) @reference.type
(generic_name (identifier) @name) @reference.type
(type_argument_list (identifier) @name) @reference.type
(base_list (identifier) @name) @reference.type
(variable_declaration type: (identifier) @name) @reference.type
(parameter type: (identifier) @name) @reference.type
(method_declaration returns: (identifier) @name) @reference.type
(property_declaration type: (identifier) @name) @reference.type
(attribute name: (identifier) @name) @reference.type

(comment) @doc
