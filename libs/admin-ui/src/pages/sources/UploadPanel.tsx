import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { errorText } from '../../api/errors';
import type { UploadResult } from '../../api/types';
import { uploadFile, type UploadProgress } from '../../api/upload';
import { ErrorBox, ProgressBar } from '../../components/common';
import { fieldId } from '../../forms/errors';
import { IngestResult } from './IngestResult';
import { Can } from '../../auth/role';

type Phase =
  | { kind: 'idle' }
  | { kind: 'sending'; progress: UploadProgress }
  | { kind: 'ingesting' }
  | { kind: 'done'; result: UploadResult }
  | { kind: 'failed'; error: unknown };

/**
 * Uploads a CSV file to a source with progress: bytes sent, then the server's ingest, then its
 * figures and rejected lines. With `file` given, the upload starts at once.
 */
export function UploadPanel({ sourceId, file: initial }: { sourceId: string; file?: File }) {
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(initial ?? null);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const abort = useRef<AbortController | null>(null);
  const started = useRef(false);

  const start = async (chosen: File) => {
    abort.current = new AbortController();
    setPhase({ kind: 'sending', progress: { loaded: 0, total: chosen.size } });
    try {
      const result = await uploadFile<UploadResult>(
        `/api/sources/${encodeURIComponent(sourceId)}/upload`,
        chosen,
        (progress) => {
          setPhase(
            progress.loaded >= progress.total
              ? { kind: 'ingesting' }
              : { kind: 'sending', progress },
          );
        },
        abort.current.signal,
      );
      setPhase({ kind: 'done', result });
    } catch (error) {
      setPhase({ kind: 'failed', error });
    } finally {
      abort.current = null;
      void queryClient.invalidateQueries({ queryKey: ['sources'] });
      void queryClient.invalidateQueries({ queryKey: ['customer-fields'] });
    }
  };

  useEffect(() => {
    if (initial && !started.current) {
      started.current = true;
      void start(initial);
    }
    // Start once for the file handed over by the creation form.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const busy = phase.kind === 'sending' || phase.kind === 'ingesting';
  const inputId = fieldId('upload.file');
  return (
    <section className="panel" aria-label="Upload a file">
      <h2>Upload a file</h2>
      <p className="muted">
        An upload replaces the source&apos;s records when it succeeds; rejected lines are listed
        with their line numbers. A file that cannot be read at all changes nothing.
      </p>
      <div className="field">
        <label htmlFor={inputId}>CSV file</label>
        <input
          id={inputId}
          type="file"
          accept=".csv,text/csv,text/plain"
          disabled={busy}
          onChange={(event) => {
            setFile(event.target.files?.[0] ?? null);
            setPhase({ kind: 'idle' });
          }}
        />
      </div>
      <div className="form-actions">
        <Can least="editor">
          <button
            type="button"
            className="primary"
            disabled={!file || busy}
            onClick={() => {
              if (file) void start(file);
            }}
          >
            Upload
          </button>
        </Can>
        {busy ? (
          <button type="button" onClick={() => abort.current?.abort()}>
            Cancel upload
          </button>
        ) : null}
      </div>
      <div aria-live="polite">
        {phase.kind === 'sending' ? (
          <ProgressBar
            value={phase.progress.loaded}
            max={phase.progress.total}
            label="Bytes uploaded"
            unit="bytes"
          />
        ) : null}
        {phase.kind === 'ingesting' ? (
          <p role="status">File sent; the server is reading and storing the rows…</p>
        ) : null}
        {phase.kind === 'failed' ? (
          <ErrorBox title="The upload failed" error={errorText(phase.error)} />
        ) : null}
        {phase.kind === 'done' ? (
          <IngestResult result={phase.result} title="Upload finished" />
        ) : null}
      </div>
    </section>
  );
}
