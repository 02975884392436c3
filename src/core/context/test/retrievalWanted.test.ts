import { test } from 'node:test';
import assert from 'node:assert/strict';
import { workspaceEvidence, type WorkspaceLookup } from '../retrievalWanted';

/** A workspace like rich: what it defines, the compound names its code uses, its files. */
const RICH: WorkspaceLookup = {
  defines: (name) => ['split_graphemes', 'print', 'Console', 'Panel', 'cells', 'g', 'render', 'ProgressBar', 'List', 'Show'].includes(name),
  uses: (id) => ['cell_len', 'split_graphemes', 'max_width', 'sin'].includes(id),
  hasFile: (mention) => ['cells.py', 'rich/cells.py', 'progress_bar.py'].includes(mention),
  names: (word) => ['print', 'highlighted', 'link', 'style', 'text', 'panel', 'title', 'progress', 'bar', 'value'].includes(word),
};

/** Ten questions with no code in them: asked in a workspace, none of them is about it. */
const PLAIN = [
  'What is the capital of Australia?',
  'Explain big-O notation with an example.',
  'What is the derivative of x^2 * sin(x)?',
  "How do I say 'thank you very much' in Japanese?",
  'What is the difference between a list and a tuple in Python, e.g. when should I use each?',
  'In statistics, what does cells.Sample mean in a contingency table?',
  'Is 1009 a prime number? Show how to check.',
  'What is the largest planet in our solar system?',
  'How do I render a LaTeX fraction, i.e. a over b?',
  'Why did the stock market crash in 1929?',
  'What is the expected value of a fair die, and what is wrong with my intuition that it is 3?',
  'Which file format is best for storing photos?',
  'How do I print a list in Python without brackets?',
];

test('a plain question has no evidence: words that look like code but that the workspace does not hold, maths, general knowledge', () => {
  for (const q of PLAIN) assert.equal(workspaceEvidence(q, [], RICH), undefined, q);
});

test('evidence: a file the workspace holds, a name it defines, a compound name it uses, words pointing at it or reporting a bug in it', () => {
  assert.equal(workspaceEvidence('Is cells.py right about wide characters?', [], RICH), 'the question names cells.py');
  assert.equal(workspaceEvidence('Is parse.py right?', [], RICH), undefined, 'a file that is not there');
  assert.equal(workspaceEvidence('Why does split_graphemes hang?', [], RICH), 'the question names split_graphemes, which the workspace defines');
  assert.equal(workspaceEvidence('Is max_width ever negative?', [], RICH), 'the question names max_width, which the workspace uses');
  assert.equal(workspaceEvidence('Why does Console.print drop the style?', [], RICH), 'the question names Console.print, which the workspace defines');
  assert.equal(workspaceEvidence('Does render() wrap lines?', [], RICH), 'the question names render, which the workspace defines');
  assert.equal(workspaceEvidence('When a Panel has a title, the title has no background.', [], RICH), 'the question names Panel, which the workspace defines');
  assert.equal(workspaceEvidence('List three uses of a panel. Show an example.', [], RICH), undefined, 'words that start sentences are not classes');
  assert.match(workspaceEvidence('I think I found a bug: the progress bar flickers when the terminal is resized. Which code is responsible?', [], RICH) ?? '', /points at the workspace \("I think I found a bug"\)/);
  assert.match(
    workspaceEvidence('URLs that contain an @ sign are only partly highlighted when I print them: the link styling stops right before the @.', [], RICH) ?? '',
    /reports misbehaviour \("only partly"\) of highlighted, print, link/,
  );
  assert.equal(workspaceEvidence('Links are only partly shown in my browser.', [], RICH), undefined, 'one name of the workspace is not enough');
  for (const q of ['Infinite loop when wrapping. Which file should I look at?', 'Where is the pager handled?', 'Wide characters are cut. Which code is responsible?', 'How is the config loaded in this project?', 'Our parser chokes on empty lines', 'Why is the failing test failing?', 'What causes this error?', 'The spinner crashes on Windows']) {
    assert.match(workspaceEvidence(q, [], RICH) ?? '', /points at the workspace/, q);
  }
});

test('a name the attached code holds is not evidence for searching the rest', () => {
  const attached = [{ path: 'rich/cells.py', text: 'def split_graphemes(text):\n    return list(text)\n' }];
  assert.equal(workspaceEvidence('Why does split_graphemes hang?', attached, RICH), undefined);
  assert.equal(workspaceEvidence('Is cells.py right?', attached, RICH), undefined);
});
