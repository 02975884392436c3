/** Types for scripts/suiteWidths.mjs (used by its test). */
export declare const MAX_UI_FILES: number;
export declare function suiteWidths(cores: number): { unit: number; uiBeside: number; uiAfter: number };
