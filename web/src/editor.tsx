import { useEffect, useState } from 'preact/hooks';
import { api, errorText, type Post } from './api';
import { Alert } from './ui';

type Fit = 'maintain_ratio' | 'at_max' | 'force';
type Filter = '' | 'e-grayscale' | 'bl-8' | 'e-sharpen' | 'e-contrast';

interface Settings {
  width: string;
  height: string;
  fit: Fit;
  cropX: string;
  cropY: string;
  cropWidth: string;
  cropHeight: string;
  rotate: string;
  text: string;
  filter: Filter;
}

const INITIAL: Settings = {
  width: '',
  height: '',
  fit: 'maintain_ratio',
  cropX: '',
  cropY: '',
  cropWidth: '',
  cropHeight: '',
  rotate: '0',
  text: '',
  filter: '',
};

const int = (v: string) => (/^\d+$/.test(v.trim()) ? Number(v) : null);

/**
 * The settings as an ImageKit transformation, one step per concern, applied in order: crop
 * the region, resize, rotate, filter, then the text on top. Empty when nothing is chosen.
 */
function transformation(s: Settings): string {
  const steps: string[] = [];
  const [cw, ch] = [int(s.cropWidth), int(s.cropHeight)];
  if (cw && ch)
    steps.push(`cm-extract,x-${int(s.cropX) ?? 0},y-${int(s.cropY) ?? 0},w-${cw},h-${ch}`);
  const [w, h] = [int(s.width), int(s.height)];
  const size = [w ? `w-${w}` : '', h ? `h-${h}` : ''].filter(Boolean);
  if (size.length) steps.push([...size, ...(w && h ? [`c-${s.fit}`] : [])].join(','));
  if (s.rotate !== '0') steps.push(`rt-${s.rotate}`);
  if (s.filter) steps.push(s.filter);
  const text = s.text.trim();
  if (text)
    steps.push(
      `l-text,i-${encodeURIComponent(text)},lfo-bottom,fs-28,co-FFFFFF,bg-00000099,pa-10,l-end`,
    );
  return steps.join(':');
}

/**
 * The transformation editor of an image post: resize, crop, rotate, a text overlay and
 * filters, previewed live from the transformation's own URL, which "Copy URL" copies.
 */
export function Editor({ post }: { post: Post }) {
  const [s, setS] = useState<Settings>(INITIAL);
  /** The preview's link and the transformation it is for (Copy waits until they match). */
  const [shown, setShown] = useState<{ tr: string; url: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const tr = transformation(s);

  useEffect(() => {
    setCopied(false);
    if (!tr) {
      setShown({ tr, url: post.url });
      setError(null);
      return;
    }
    let current = true;
    // A short pause: typing "640" asks once, not three times.
    const timer = setTimeout(() => {
      void api
        .GET('/posts/{id}/url', { params: { path: { id: post.id }, query: { tr } } })
        .then(({ data, error }) => {
          if (!current) return;
          setError(data ? null : errorText(error, 'This transformation is not possible'));
          if (data) setShown({ tr, url: data.url });
        })
        .catch(() => current && setError('The server could not be reached'));
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [tr, post.id]);

  const field = (key: keyof Settings, label: string, props: Record<string, unknown> = {}) => (
    <label>
      {label}
      <input
        inputMode="numeric"
        pattern="[0-9]*"
        value={s[key]}
        onInput={(e) => setS({ ...s, [key]: e.currentTarget.value })}
        {...props}
      />
    </label>
  );
  const url = shown?.url ?? null;
  const current = shown?.tr === tr && !error;
  const copy = async () => {
    if (!url || !current) return;
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      setError('Copying is not allowed here: select the URL and copy it');
    }
  };
  return (
    <form class="editor" aria-label="Transform image" onSubmit={(e) => e.preventDefault()}>
      <fieldset>
        <legend>Resize</legend>
        <div class="grid">
          {field('width', 'Width')}
          {field('height', 'Height')}
          <label>
            Fit
            <select
              value={s.fit}
              onChange={(e) => setS({ ...s, fit: e.currentTarget.value as Fit })}
            >
              <option value="maintain_ratio">Fill (crop to fit)</option>
              <option value="at_max">Fit inside</option>
              <option value="force">Stretch</option>
            </select>
          </label>
        </div>
      </fieldset>
      <fieldset>
        <legend>Crop</legend>
        <div class="grid">
          {field('cropX', 'Left')}
          {field('cropY', 'Top')}
          {field('cropWidth', 'Crop width')}
          {field('cropHeight', 'Crop height')}
        </div>
      </fieldset>
      <div class="grid">
        <label>
          Rotate
          <select value={s.rotate} onChange={(e) => setS({ ...s, rotate: e.currentTarget.value })}>
            <option value="0">No rotation</option>
            <option value="90">90°</option>
            <option value="180">180°</option>
            <option value="270">270°</option>
          </select>
        </label>
        <label>
          Filter
          <select
            value={s.filter}
            onChange={(e) => setS({ ...s, filter: e.currentTarget.value as Filter })}
          >
            <option value="">None</option>
            <option value="e-grayscale">Grayscale</option>
            <option value="bl-8">Blur</option>
            <option value="e-sharpen">Sharpen</option>
            <option value="e-contrast">Contrast</option>
          </select>
        </label>
      </div>
      <label>
        Text overlay
        <input
          maxLength={200}
          value={s.text}
          onInput={(e) => setS({ ...s, text: e.currentTarget.value })}
        />
      </label>
      <Alert text={error} />
      {url && (
        <>
          <img
            class="preview"
            src={url}
            alt={`Transformed: ${post.caption || 'image'}`}
            data-transformation={tr}
          />
          <div class="row">
            <label>
              Transformation URL
              <input readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
            </label>
            <button type="button" disabled={!current} onClick={() => void copy()}>
              Copy URL
            </button>
          </div>
          <p class="muted" aria-live="polite">
            {copied ? 'Copied' : ''}
          </p>
        </>
      )}
      <button type="button" class="plain" onClick={() => setS(INITIAL)}>
        Reset
      </button>
    </form>
  );
}
