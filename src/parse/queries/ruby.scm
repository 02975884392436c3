; Tags of Ruby for src/parse (captures: src/parse/README.md). Adapted from queries/tags.scm of
; tree-sitter/tree-sitter-ruby (MIT License) and from aider's aider/queries/tree-sitter-languages/ruby-tags.scm (Apache License 2.0).

(class name: [(constant) @name (scope_resolution name: (_) @name)]) @definition.class
(module name: [(constant) @name (scope_resolution name: (_) @name)]) @definition.module
(method name: (_) @name) @definition.method
(singleton_method name: (_) @name) @definition.method

(call method: (identifier) @name) @reference.call
(constant) @name @reference.type

(comment) @doc
