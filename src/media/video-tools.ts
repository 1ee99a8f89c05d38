import { execFile } from 'node:child_process';
import { rename, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { mediaConfig, type ConfigType } from '../config/configuration';

const run = promisify(execFile);

/** What ffprobe reports of a video. */
export interface VideoInfo {
  width: number | null;
  height: number | null;
  /** Seconds. */
  duration: number | null;
}

/** The container ffmpeg writes for each accepted video type (the stored file keeps it). */
const MUXERS: Record<string, string> = {
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
  'video/webm': 'webm',
};

const PROBE_TIMEOUT_MS = 30_000;
const REMUX_TIMEOUT_MS = 120_000;

/**
 * ffmpeg and ffprobe, when they are installed (FFMPEG_PATH / FFPROBE_PATH): video metadata
 * removal, dimensions and duration, and poster frames for the local driver. Without them the
 * app says so once at start-up, and videos are stored as sent, without those fields.
 */
@Injectable()
export class VideoTools implements OnApplicationBootstrap {
  private readonly logger = new Logger('VideoTools');
  private found?: Promise<boolean>;

  constructor(@Inject(mediaConfig.KEY) private readonly config: ConfigType<typeof mediaConfig>) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!(await this.available())) {
      this.logger.warn(
        `ffmpeg/ffprobe not found (${this.config.ffmpegPath}, ${this.config.ffprobePath}): ` +
          'videos are stored without removing their metadata (location, device), and local ' +
          'video posts get no thumbnail, dimensions or duration. Install ffmpeg to enable them.',
      );
    }
  }

  /** Whether both programs run (checked once). */
  available(): Promise<boolean> {
    return (this.found ??= Promise.all([
      run(this.config.ffmpegPath, ['-version'], { timeout: 10_000 }),
      run(this.config.ffprobePath, ['-version'], { timeout: 10_000 }),
    ]).then(
      () => true,
      () => false,
    ));
  }

  /** Dimensions (as displayed: rotation applied) and duration; null when unreadable. */
  async probe(path: string): Promise<VideoInfo | null> {
    if (!(await this.available())) return null;
    try {
      const { stdout } = await run(
        this.config.ffprobePath,
        [
          '-v',
          'error',
          '-select_streams',
          'v:0',
          '-show_entries',
          'stream=width,height:stream_side_data=rotation:stream_tags=rotate:format=duration',
          '-of',
          'json',
          path,
        ],
        { timeout: PROBE_TIMEOUT_MS },
      );
      const parsed = JSON.parse(stdout) as {
        streams?: Array<{
          width?: number;
          height?: number;
          tags?: { rotate?: string };
          side_data_list?: Array<{ rotation?: number }>;
        }>;
        format?: { duration?: string };
      };
      const stream = parsed.streams?.[0];
      const rotation = Number(
        stream?.side_data_list?.find((d) => d.rotation !== undefined)?.rotation ??
          stream?.tags?.rotate ??
          0,
      );
      const sideways = Math.abs(rotation) % 180 === 90;
      const width = stream?.width ?? null;
      const height = stream?.height ?? null;
      const duration = Number(parsed.format?.duration);
      return {
        width: sideways ? height : width,
        height: sideways ? width : height,
        duration: Number.isFinite(duration) ? Math.round(duration * 1000) / 1000 : null,
      };
    } catch {
      return null;
    }
  }

  /**
   * Rewrites the file without its metadata (global, per-stream and chapter tags: location,
   * device make and model, titles, creation times), copying the streams as they are.
   * False when ffmpeg is missing or cannot read the file (it is then left untouched).
   */
  async stripMetadata(path: string, mime: string): Promise<boolean> {
    const muxer = MUXERS[mime];
    if (!muxer || !(await this.available())) return false;
    const out = `${path}.clean`;
    try {
      await run(
        this.config.ffmpegPath,
        [
          ...['-v', 'error', '-nostdin', '-y', '-i', path],
          ...['-map', '0:v?', '-map', '0:a?', '-map_metadata', '-1', '-map_metadata:s', '-1'],
          ...['-map_chapters', '-1', '-c', 'copy', '-fflags', '+bitexact'],
          ...['-flags:v', '+bitexact', '-flags:a', '+bitexact'],
          // Playback can start before the whole file has arrived.
          ...(muxer === 'webm' ? [] : ['-movflags', '+faststart']),
          ...['-f', muxer, out],
        ],
        { timeout: REMUX_TIMEOUT_MS },
      );
      await rename(out, path);
      return true;
    } catch {
      await rm(out, { force: true });
      return false;
    }
  }

  /**
   * A JPEG poster frame at 1 s (the first frame of a shorter clip), within 400x400, written
   * to `out`. False when it cannot be made.
   */
  async poster(path: string, out: string, duration: number | null): Promise<boolean> {
    if (!(await this.available())) return false;
    const at = duration !== null && duration > 1 ? '1' : '0';
    try {
      await run(
        this.config.ffmpegPath,
        [
          ...['-v', 'error', '-nostdin', '-y', '-ss', at, '-i', path, '-frames:v', '1'],
          ...['-vf', "scale='min(400,iw)':'min(400,ih)':force_original_aspect_ratio=decrease"],
          ...['-map_metadata', '-1', '-q:v', '4', '-f', 'image2', out],
        ],
        { timeout: PROBE_TIMEOUT_MS },
      );
      return true;
    } catch {
      await rm(out, { force: true });
      return false;
    }
  }
}
