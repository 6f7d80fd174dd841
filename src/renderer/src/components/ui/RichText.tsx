import { splitBackticks } from '../../lib/format';

/** Plain text where `quoted` parts render as inline code; never interprets HTML. */
export function RichText({ text }: { text: string }) {
  return (
    <>
      {splitBackticks(text).map((s, i) => (s.code ? <code key={i}>{s.text}</code> : <span key={i}>{s.text}</span>))}
    </>
  );
}
