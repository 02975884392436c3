/** The embedder's contribution: the three ways forward when the embedding model cannot be used. */
import { registerCommands, type Contribution } from '../hostServices';
import { chooseEmbeddingModelFolder, REMEDY_COMMANDS, useEmbeddingsEndpoint, useLexicalEmbedder } from './embedderRemedies';

export const embeddingContribution: Contribution = ({ engine, secrets, log }) =>
  registerCommands({
    [REMEDY_COMMANDS.lexical]: () => useLexicalEmbedder({ engine, secrets, log }),
    [REMEDY_COMMANDS['local-model']]: () => chooseEmbeddingModelFolder({ engine, secrets, log }),
    [REMEDY_COMMANDS.endpoint]: () => useEmbeddingsEndpoint({ engine, secrets, log }),
  });
