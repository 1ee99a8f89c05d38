/** An error in words, announced to screen readers; nothing when there is none. */
export function Alert({ text }: { text: string | null | undefined }) {
  return text ? (
    <p role="alert" class="error">
      {text}
    </p>
  ) : null;
}

/** The input attributes the pages use. */
interface InputProps {
  type?: 'text' | 'email' | 'password' | 'search';
  required?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  autocomplete?: string;
  placeholder?: string;
}

/** A labelled text input (the label names it for screen readers and tests alike). */
export function Field({
  label,
  value,
  onValue,
  type = 'text',
  ...input
}: { label: string; value: string; onValue: (value: string) => void } & InputProps) {
  return (
    <label>
      {label}
      <input
        // preact types <input> per `type` literal and tsc cannot take the union at once (the
        // linter's type view disagrees, hence the exception).
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
        type={type as 'text'}
        required={input.required}
        minLength={input.minLength}
        maxLength={input.maxLength}
        pattern={input.pattern}
        autocomplete={input.autocomplete}
        placeholder={input.placeholder}
        value={value}
        onInput={(e) => onValue(e.currentTarget.value)}
      />
    </label>
  );
}

/** "1 post", "2 posts". */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A user's avatar, or their initial when they have none. */
export function Avatar({
  url,
  name,
  size = 48,
}: {
  url: string | null;
  name: string;
  size?: number;
}) {
  return url ? (
    <img class="avatar" src={url} alt={`${name}'s avatar`} width={size} height={size} />
  ) : (
    <span class="avatar initial" aria-hidden="true" style={{ width: size, height: size }}>
      {name.slice(0, 1).toUpperCase()}
    </span>
  );
}
