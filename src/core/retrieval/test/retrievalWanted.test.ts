import { test } from 'node:test';
import assert from 'node:assert/strict';
import { notSearchedReason, workspaceEvidence, type WorkspaceLookup } from '../retrievalWanted';

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

/** A HumanEval-style exercise: its function, types, docstring and doctests are its own code. */
const EXERCISE = `from typing import List


def split_graphemes(paren_string: str) -> List[str]:
    """ Separate the groups of nested parentheses in the input into strings of their own.
    >>> split_graphemes('( ) (( ))')
    ['()', '(())']
    """
`;

test("a question's own code is no evidence: what it defines or uses, and its prose's bug words, are about that code", () => {
  // The exercise's function is named like one the workspace defines, and it uses List, which the workspace defines too.
  assert.equal(workspaceEvidence(EXERCISE, [], RICH), undefined);
  assert.equal(workspaceEvidence(`Complete this function:\n\n${EXERCISE}`, [], RICH), undefined);
  const snippet = 'This function has a bug and crashes, it does not work. Fix it:\n\n```python\ndef render(console, max_width):\n    return Panel(console.print(max_width))\n```';
  assert.equal(workspaceEvidence(snippet, [], RICH), undefined, 'bug words beside a snippet are about the snippet');
  const indented = 'Why does this print the wrong value?\n\n    cell_len = len(text)\n    print(cell_len)\n';
  assert.equal(workspaceEvidence(indented, [], RICH), undefined);
  assert.equal(notSearchedReason(EXERCISE), "the question's code does not name this project");
  assert.equal(notSearchedReason('What is the capital of Australia?'), 'the question names nothing the workspace holds and does not point at it');
});

test('beside its own code, a question still concerns the workspace when its prose names the workspace or points at the project', () => {
  const code = '\n\n```python\nresult = my_split(text)\nprint(result)\n```';
  assert.equal(workspaceEvidence(`Why does my_split differ from split_graphemes?${code}`, [], RICH), 'the question names split_graphemes, which the workspace defines');
  assert.match(workspaceEvidence(`This fails in our project:${code}`, [], RICH) ?? '', /points at the workspace \("our project"\)/);
  assert.equal(workspaceEvidence(`I get this:\n\n\`\`\`\n  File "rich/cells.py", line 12, in cell_len\nValueError: bad width\n\`\`\``, [], RICH), 'the question names rich/cells.py');
});

test('"this function", "this config" with nothing attached point at what is at hand, not at the workspace; "our function", "this project" do', () => {
  for (const q of ['Explain this function', 'Is this config safe?', 'What does this method return?']) assert.equal(workspaceEvidence(q, [], RICH), undefined, q);
  assert.match(workspaceEvidence('Why does our function drop the style?', [], RICH) ?? '', /points at the workspace \("our function"\)/);
  assert.match(workspaceEvidence('How is the config loaded in this library?', [], RICH) ?? '', /points at the workspace \("this library"\)/);
});
