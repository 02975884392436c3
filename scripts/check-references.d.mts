/** Types for scripts/check-references.mjs (used by its test). */
export declare const FOREIGN_CITATION: RegExp;
export declare function filesToRead(root: string): string[];
export declare function commentsOf(text: string, fileName?: string): { text: string; line: number }[];
export declare function pathTokens(text: string, srcFolders: readonly string[]): { token: string; at: number }[];
export declare function resolves(root: string, file: string, token: string): boolean;
export declare function referenceProblems(root: string): string[];
export declare function headingSlug(heading: string): string;
export declare function anchorsOf(markdown: string): Set<string>;
export declare function linksOf(markdown: string): { target: string; line: number }[];
export declare function brokenLink(root: string, file: string, target: string): string | undefined;
