import { useEffect, useState } from 'preact/hooks';
import { uploadPost } from '../api';
import { navigate } from '../router';
import { Alert } from '../ui';

export function Upload() {
  const [file, setFile] = useState<File | null>(null);
  const [caption, setCaption] = useState('');
  const [preview, setPreview] = useState<string | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!file) return setPreview(null);
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);
  return (
    <form
      class="card"
      onSubmit={(e) => {
        e.preventDefault();
        if (!file) return;
        setError(null);
        setProgress(0);
        uploadPost(file, caption, setProgress).then(
          () => navigate('/'),
          (err: Error) => {
            setProgress(null);
            setError(err.message);
          },
        );
      }}
    >
      <h1>New post</h1>
      <label>
        File
        <input
          type="file"
          required
          accept="image/jpeg,image/png,image/gif,image/webp,image/avif,video/mp4,video/webm,video/quicktime"
          onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
        />
      </label>
      {preview &&
        (file?.type.startsWith('video/') ? (
          <video src={preview} controls class="preview" aria-label="Preview" />
        ) : (
          <img src={preview} alt="Preview of the chosen file" class="preview" />
        ))}
      <label>
        Caption
        <textarea
          maxLength={2200}
          value={caption}
          onInput={(e) => setCaption(e.currentTarget.value)}
        />
      </label>
      {progress !== null && (
        <progress max={1} value={progress} aria-label="Upload progress">
          {Math.round(progress * 100)}%
        </progress>
      )}
      <Alert text={error} />
      <button type="submit" disabled={!file || progress !== null}>
        Post
      </button>
    </form>
  );
}
