/** Types for scripts/check-folder-map.mjs (used by its test). */
export interface LayerTables {
  LAYERS: Record<string, { runtime: string[]; types: string[] }>;
  CORE_LAYERS: string[][];
}
export declare const HOW_IT_WORKS: string;
export declare const FOLDERS_HEADING: string;
export declare const CORE_README: string;
export declare const DESIGN_NOTES: string;
export declare const MAP_START: string;
export declare const MAP_END: string;
export declare function foldersOf(dir: string): string[];
export declare function howItWorksFolders(text: string): { name: string; line: number; subfolders: { name: string; line: number }[] }[] | undefined;
export declare function coreReadmeRows(text: string): { row: number; folders: string[]; line: number }[] | undefined;
export declare function folderMapTable(tables: LayerTables): string;
export declare function withFolderMapTable(text: string, tables: LayerTables): string | undefined;
export declare function folderMapProblems(root: string, tables: LayerTables): string[];
export declare function layerTablesOf(root: string): Promise<LayerTables>;
