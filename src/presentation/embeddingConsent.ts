/**
 * Why SMCS asks to download its embedding model, in the words of the download prompt: with local models the model
 * routes each question through the question bank; with a team server as the engine the server's bank routes, and the
 * model only searches the workspace on this machine — the prompt must not say it is for a bank the member never uses.
 */
export function embeddingConsentDetail(teamServer: boolean): string {
  const why = teamServer
    ? 'Your team server routes your questions with its own bank; on this machine SMCS uses this model only to search your workspace for the code a question is about. '
    : 'SMCS embeds each question with this model to find similar ones in the question bank. ';
  return (
    `${why}The model is downloaded once from the Hugging Face hub (the default one is about 25 MB) and then works offline. ` +
    'Without it, SMCS offers the other ways: the lexical embedder (no download), a copy of the model in a local folder, or an /embeddings endpoint.'
  );
}
