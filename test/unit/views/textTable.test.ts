import assert from 'node:assert/strict';
import { displayWidth, pad, textTable } from '../../../src/views/textTable';

describe('plain-text tables', () => {
  it('counts Hangul, CJK and full-width characters as two columns', () => {
    assert.equal(displayWidth('005930'), 6);
    assert.equal(displayWidth('삼성전자'), 8);
    assert.equal(displayWidth('漢字'), 4);
    assert.equal(displayWidth('ＡＢ'), 4);
    assert.equal(displayWidth('ᄀ'), 2, 'Hangul Jamo');
    assert.equal(displayWidth('–'), 1, 'an en dash is narrow');
  });

  it('pads to a width on either side and never cuts', () => {
    assert.equal(pad('삼성', 6), '삼성  ');
    assert.equal(pad('12', 5, true), '   12');
    assert.equal(pad('toolong', 3), 'toolong');
  });

  it('aligns columns under a header and a rule, right-aligns the numeric ones, trims trailing spaces', () => {
    const lines = textTable([['삼성전자', '1,234'], ['SK하이닉스', '5'], ['short']], {
      header: ['Name', 'Qty'],
      rightAligned: [1],
    });
    assert.deepEqual(lines, [
      'Name          Qty',
      '----------  -----',
      '삼성전자    1,234',
      'SK하이닉스      5',
      'short',
    ]);
    assert.deepEqual(textTable([]), []);
  });
});
