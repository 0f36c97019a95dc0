import { boundaryOf, buildBatch, parseBatchResponse } from './batch';

describe('$batch builder', () => {
  it('writes the documented multipart/mixed body with a change set, Content-IDs and JSON bodies', () => {
    const { contentType, body } = buildBatch(
      [
        { method: 'GET', url: 'contacts?$select=contactid&$top=1' },
        {
          changeSet: [
            { method: 'POST', url: 'lists', body: { listname: 'A' } },
            { method: 'PATCH', url: '$1', body: { description: 'x' }, contentId: '9' },
          ],
        },
      ],
      '/api/data/v9.2/',
      'abc',
    );
    expect(contentType).toBe('multipart/mixed; boundary=batch_abc');
    expect(body.split('\r\n')).toEqual([
      '--batch_abc',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      '',
      'GET /api/data/v9.2/contacts?$select=contactid&$top=1 HTTP/1.1',
      '',
      '',
      '--batch_abc',
      'Content-Type: multipart/mixed; boundary=changeset_abc_1',
      '',
      '--changeset_abc_1',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      'Content-ID: 1',
      '',
      'POST /api/data/v9.2/lists HTTP/1.1',
      'Content-Type: application/json; type=entry',
      '',
      '{"listname":"A"}',
      '--changeset_abc_1',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      'Content-ID: 9',
      '',
      'PATCH $1 HTTP/1.1',
      'Content-Type: application/json; type=entry',
      '',
      '{"description":"x"}',
      '--changeset_abc_1--',
      '--batch_abc--',
      '',
    ]);
  });

  it('refuses a GET inside a change set', () => {
    expect(() =>
      buildBatch([{ changeSet: [{ method: 'GET', url: 'contacts' }] }], '/api/data/v9.2/'),
    ).toThrow(/GET requests are not allowed inside a change set/);
  });
});

describe('$batch response parser', () => {
  it('reads plain parts and flattened change-set parts with status, headers, body and Content-ID', () => {
    const body = [
      '--batchresponse_1',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      '',
      'HTTP/1.1 200 OK',
      'Content-Type: application/json; odata.metadata=minimal',
      'OData-Version: 4.0',
      '',
      '{"value":[{"contactid":"a"}]}',
      '--batchresponse_1',
      'Content-Type: multipart/mixed; boundary=changesetresponse_2',
      '',
      '--changesetresponse_2',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      'Content-ID: 1',
      '',
      'HTTP/1.1 204 No Content',
      'OData-EntityId: https://org/api/data/v9.2/lists(1)',
      '',
      '',
      '--changesetresponse_2--',
      '--batchresponse_1',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      '',
      'HTTP/1.1 404 Not Found',
      '',
      '{"error":{"code":"0x80040217","message":"gone"}}',
      '--batchresponse_1--',
      '',
    ].join('\r\n');
    const parts = parseBatchResponse('multipart/mixed; boundary=batchresponse_1', body);
    expect(parts).toEqual([
      {
        status: 200,
        headers: {
          'content-type': 'application/json; odata.metadata=minimal',
          'odata-version': '4.0',
        },
        body: '{"value":[{"contactid":"a"}]}',
      },
      {
        status: 204,
        headers: { 'odata-entityid': 'https://org/api/data/v9.2/lists(1)' },
        body: '',
        contentId: '1',
      },
      { status: 404, headers: {}, body: '{"error":{"code":"0x80040217","message":"gone"}}' },
    ]);
  });

  it('accepts bare LF line ends and a quoted boundary', () => {
    const body = '--b\nContent-Type: application/http\n\nHTTP/1.1 204 No Content\n\n\n--b--\n';
    expect(parseBatchResponse('multipart/mixed; boundary="b"', body)).toEqual([
      { status: 204, headers: {}, body: '' },
    ]);
  });

  it('says when the answer is not multipart or a part has no status line', () => {
    expect(() => parseBatchResponse('application/json', '{}')).toThrow(/must be multipart\/mixed/);
    expect(() =>
      parseBatchResponse(
        'multipart/mixed; boundary=b',
        '--b\r\nContent-Type: x\r\n\r\nhello\r\n--b--',
      ),
    ).toThrow(/no HTTP status line/);
  });

  it('reads the boundary parameter', () => {
    expect(boundaryOf('multipart/mixed;boundary=batchresponse_x')).toBe('batchresponse_x');
    expect(boundaryOf('application/json')).toBeNull();
    expect(boundaryOf(undefined)).toBeNull();
  });
});
