/**
 * The modules of a workspace that a question's code can import: `import sympy`, `from flask.sessions import …`,
 * `require('express')`, `use axum::Router`, `import io.javalin.Javalin`, Go's `"github.com/gin-gonic/gin/binding"`. An
 * import that resolves here names this project, whatever else the question's code does: a pasted issue whose snippet
 * imports the project's own package is about the project.
 */

/** A module path resolves when a folder or a file (without its extension) of the workspace is named by it. */
export interface ProjectModules {
  /** The workspace path the module resolves to, or undefined. */
  resolve(parts: readonly string[]): string | undefined;
}

const withoutExtension = (p: string): string => p.replace(/\.[^./]+$/, '');

/**
 * The modules of a workspace from its file paths and the names its manifests declare (`package.json`'s name, `go.mod`'s
 * module, `Cargo.toml`'s packages). A module of two parts or more resolves where a folder or file ends with those parts
 * (`sympy.core` → `sympy/core`, `io.javalin.Javalin` → `…/io/javalin/Javalin.java`); a module of one part only where it
 * is the project's own package: a declared name, or a folder or file at the top of the tree or the one folder of a top
 * folder that holds nothing else (flask's `src/` holds only its package), since a bare `import json` must not name `internal/json` beside
 * `internal/bytesconv`.
 */
export function projectModules(paths: readonly string[], declared: readonly string[]): ProjectModules {
  const nested = new Map<string, string>();
  const topLevel = new Map<string, string>();
  const holdsFiles = new Set<string>();
  const children = new Map<string, Set<string>>();
  for (const p of paths) {
    const parts = p.split('/');
    holdsFiles.add(parts.slice(0, -1).join('/'));
    if (parts.length >= 3) children.set(parts[0] as string, (children.get(parts[0] as string) ?? new Set()).add(parts[1] as string));
  }
  for (const p of paths) {
    const parts = withoutExtension(p).split('/');
    for (let end = 1; end <= parts.length; end++) {
      const prefix = parts.slice(0, end).join('/');
      for (let start = 0; start < end; start++) {
        const key = parts.slice(start, end).join('/').toLowerCase();
        if (end - start >= 2 && !nested.has(key)) nested.set(key, prefix);
      }
      const top = end === 1 || (end === 2 && !holdsFiles.has(parts[0] as string) && children.get(parts[0] as string)?.size === 1);
      const name = (parts[end - 1] as string).toLowerCase();
      if (top && !topLevel.has(name)) topLevel.set(name, prefix);
    }
  }
  const names = declared.map((d) => d.toLowerCase());
  return {
    resolve(parts) {
      const lower = parts.map((p) => p.toLowerCase());
      const joined = lower.join('/');
      for (const name of names) {
        if (joined === name) return name;
        if (joined.startsWith(`${name}/`)) return this.resolve(joined.slice(name.length + 1).split('/')) ?? name;
      }
      if (lower.length >= 2) return nested.get(joined);
      return topLevel.get(joined);
    },
  };
}
