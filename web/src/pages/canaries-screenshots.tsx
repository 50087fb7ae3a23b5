// A run's screenshots as thumbnails (click to enlarge), a visual-monitoring screenshot shown next
// to its base (from the canary's base run) and diff images. The images are fetched through the
// signed artifact route and shown from blob URLs: an <img src> could not carry the SigV4 headers.
import { useEffect, useState } from 'react';
import { useSession } from '../app-context.ts';
import { Dialog, ErrorBox, useAsync } from '../ui.tsx';
import { artifactBlob } from './canaries-api.ts';
import type { ScreenshotGroup } from './canaries-artifacts.ts';

interface Run { canary: string; runId: string }

/** A blob URL for one artifact, revoked when the component lets go of it. */
function useArtifactUrl(run: Run, file: string) {
  const c = useSession();
  const blob = useAsync(() => artifactBlob(c.config, run.canary, run.runId, file), [run.canary, run.runId, file]);
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    if (!blob.data) return;
    const u = URL.createObjectURL(blob.data);
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [blob.data]);
  return { url, error: blob.error };
}

const ROLES = [['base', 'Base'], ['current', 'Current'], ['diff', 'Difference']] as const;

/** An image to show: which run's artifact, which file, and its role when compared. */
interface Shot { run: Run; file: string; label?: string }

/**
 * The images of a group by role. The runtime keeps a visual comparison's base screenshot in the
 * base run (only the diff is written next to the current one), so a diff without a base image
 * here shows the base run's screenshot of the same name.
 */
function shotsOf(g: ScreenshotGroup, run: Run, baseRunId: string | undefined): Shot[] {
  const shots = ROLES.flatMap(([r, label]): Shot[] => {
    if (g[r]) return [{ run, file: g[r], label }];
    if (r === 'base' && g.diff && g.current && baseRunId && baseRunId !== run.runId) return [{ run: { ...run, runId: baseRunId }, file: g.current, label }];
    return [];
  });
  return shots.length > 1 ? shots : shots.map((s) => ({ ...s, label: undefined }));
}

export function Screenshots({ run, groups, baseRunId }: { run: Run; groups: ScreenshotGroup[]; baseRunId?: string }) {
  const [open, setOpen] = useState<Shot>();
  if (groups.length === 0) return <p className="muted">This run took no screenshots.</p>;
  return (
    <>
      <div className="shots" aria-label="Screenshots">
        {groups.map((g) => {
          const shots = shotsOf(g, run, baseRunId);
          return (
            <figure key={g.key}>
              <div className="compare">
                {shots.map((shot) => <Thumb key={shot.label ?? 'only'} shot={shot} onOpen={() => setOpen(shot)} />)}
              </div>
              <figcaption>{g.current ?? g.key}</figcaption>
            </figure>
          );
        })}
      </div>
      {open && (
        <Dialog title={open.label ? `${open.file} (${open.label.toLowerCase()})` : open.file} wide onClose={() => setOpen(undefined)}>
          <Enlarged shot={open} />
          <div className="dialog-actions"><button type="button" onClick={() => setOpen(undefined)}>Close</button></div>
        </Dialog>
      )}
    </>
  );
}

function Thumb({ shot, onOpen }: { shot: Shot; onOpen: () => void }) {
  const { url, error } = useArtifactUrl(shot.run, shot.file);
  const file = shot.label ? `${shot.file} (${shot.label.toLowerCase()})` : shot.file;
  return (
    <div>
      {shot.label && <div>{shot.label}</div>}
      {error ? <ErrorBox error={error} /> : (
        <button type="button" className="thumb" onClick={onOpen} aria-label={`Enlarge ${file}`} title={file}>
          {url ? <img src={url} alt={file} /> : <span className="spinner" />}
        </button>
      )}
    </div>
  );
}

function Enlarged({ shot }: { shot: Shot }) {
  const { url, error } = useArtifactUrl(shot.run, shot.file);
  const file = shot.file;
  if (error) return <ErrorBox error={error} />;
  return url ? <img src={url} alt={`${file} (full size)`} /> : <span className="spinner" />;
}
