// The stream's shards: open or closed, lineage (parents after a split or merge), hash key range and
// sequence number range.
import { AsyncView, useAsync } from '../ui.tsx';
import { isOpen, listShards, useKinesis } from './streams-api.ts';

/** Shard IDs stay whole; the 39-digit hash keys and sequence numbers take the wrapping. */
const NO_WRAP = { whiteSpace: 'pre', wordBreak: 'normal' } as const;

export function ShardTable({ name }: { name: string }) {
  const k = useKinesis();
  const shards = useAsync(() => listShards(k, name), [name]);
  return (
    <div className="panel">
      <AsyncView state={shards} isEmpty={(s) => s.length === 0} empty="No shards.">
        {(list) => (
          <table aria-label="Shards">
            <thead><tr><th>Shard ID</th><th>Status</th><th>Parent shards</th><th>Hash key range</th><th>Sequence number range</th></tr></thead>
            <tbody>{list.map((s) => (
              <tr key={s.ShardId}>
                <td className="msg" style={NO_WRAP}>{s.ShardId}</td>
                <td>{isOpen(s) ? 'Open' : 'Closed'}</td>
                <td className="msg" style={NO_WRAP}>{[s.ParentShardId, s.AdjacentParentShardId].filter(Boolean).join('\n') || '—'}</td>
                <td className="msg">{s.HashKeyRange?.StartingHashKey} – {s.HashKeyRange?.EndingHashKey}</td>
                <td className="msg">{s.SequenceNumberRange?.StartingSequenceNumber} – {s.SequenceNumberRange?.EndingSequenceNumber ?? '(open)'}</td>
              </tr>
            ))}</tbody>
          </table>
        )}
      </AsyncView>
    </div>
  );
}
