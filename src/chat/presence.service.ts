import { Injectable, OnModuleDestroy } from '@nestjs/common';
import type Redis from 'ioredis';
import { RealtimeBus, RedisRealtimeBus } from '../realtime/realtime-bus';

const INSTANCE_TTL_S = 30;
const key = (roomId: string) => `chat:presence:${roomId}`;
const instanceKey = (id: string) => `chat:instance:${id}`;

/**
 * Who has a socket open in which room. Counted per process; with Redis, every instance
 * also records its counts in a hash per room, and an instance that stops refreshing its
 * heartbeat key drops out of everyone's view on its own.
 */
@Injectable()
export class PresenceService implements OnModuleDestroy {
  private readonly local = new Map<string, Map<string, number>>();
  private readonly redis?: Redis;
  private readonly instanceId: string;
  private heartbeat?: NodeJS.Timeout;

  constructor(bus: RealtimeBus) {
    if (bus instanceof RedisRealtimeBus) {
      this.redis = bus.redis;
      this.instanceId = bus.instanceId;
      const beat = () =>
        void this.redis
          ?.set(instanceKey(this.instanceId), '1', 'EX', INSTANCE_TTL_S)
          .catch(() => undefined);
      // The publishing connection drops commands while offline: beat as soon as it is ready.
      if (this.redis.status === 'ready') beat();
      this.redis.on('ready', beat);
      this.heartbeat = setInterval(beat, (INSTANCE_TTL_S * 1000) / 3);
      this.heartbeat.unref();
    } else {
      this.instanceId = 'local';
    }
  }

  onModuleDestroy(): void {
    clearInterval(this.heartbeat);
  }

  /** Registers a socket; true when it is the user's first in the room (on any instance). */
  async connect(roomId: string, userId: string): Promise<boolean> {
    const before = await this.onlineUserIds(roomId);
    const room = this.local.get(roomId) ?? new Map<string, number>();
    this.local.set(roomId, room);
    room.set(userId, (room.get(userId) ?? 0) + 1);
    await this.redis
      ?.hincrby(key(roomId), `${userId}|${this.instanceId}`, 1)
      .catch(() => undefined);
    return !before.includes(userId);
  }

  /** Unregisters a socket; true when it was the user's last in the room (on any instance). */
  async disconnect(roomId: string, userId: string): Promise<boolean> {
    const room = this.local.get(roomId);
    const count = (room?.get(userId) ?? 1) - 1;
    if (count > 0) room?.set(userId, count);
    else room?.delete(userId);
    if (room && room.size === 0) this.local.delete(roomId);
    if (this.redis) {
      const field = `${userId}|${this.instanceId}`;
      const left = await this.redis.hincrby(key(roomId), field, -1).catch(() => 0);
      if (left <= 0) await this.redis.hdel(key(roomId), field).catch(() => undefined);
    }
    return !(await this.onlineUserIds(roomId)).includes(userId);
  }

  async onlineUserIds(roomId: string): Promise<string[]> {
    return (await this.onlineUserIdsByRoom([roomId])).get(roomId) ?? [];
  }

  /** Online users of several rooms in two Redis round trips (room listings). */
  async onlineUserIdsByRoom(roomIds: string[]): Promise<Map<string, string[]>> {
    const online = new Map(roomIds.map((id) => [id, new Set(this.local.get(id)?.keys() ?? [])]));
    if (this.redis && roomIds.length > 0) {
      try {
        const hashes = await this.redis.pipeline(roomIds.map((id) => ['hgetall', key(id)])).exec();
        const entries = roomIds.map((roomId, i) => {
          const fields = (hashes?.[i]?.[1] ?? {}) as Record<string, string>;
          return Object.entries(fields)
            .filter(([, n]) => Number(n) > 0)
            .map(([field]) => [roomId, ...field.split('|')] as [string, string, string]);
        });
        const instances = [...new Set(entries.flat().map(([, , instance]) => instance))].filter(
          (id) => id !== this.instanceId,
        );
        const beats = instances.length
          ? await this.redis.pipeline(instances.map((id) => ['exists', instanceKey(id)])).exec()
          : [];
        const alive = new Set([
          this.instanceId,
          ...instances.filter((_, i) => beats?.[i]?.[1] === 1),
        ]);
        for (const [roomId, userId, instance] of entries.flat()) {
          if (alive.has(instance)) online.get(roomId)?.add(userId);
        }
      } catch {
        // Redis down: this instance's view only.
      }
    }
    return new Map([...online].map(([id, users]) => [id, [...users]]));
  }
}
