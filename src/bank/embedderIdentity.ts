/** The embedder a bank was built with: every vector in it comes from this model, and a query must too. */
export interface EmbedderIdentity {
  id: string;
  dimension: number;
}
