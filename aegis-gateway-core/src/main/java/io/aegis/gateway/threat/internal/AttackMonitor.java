package io.aegis.gateway.threat.internal;

/**
 * Counts bans and WAF detections per minute (two one-minute buckets, so the count covers the last
 * one to two minutes) and says when an attack starts and ends.
 */
public final class AttackMonitor {

    /** What changed. */
    public enum Change { NONE, STARTED, ENDED }

    private final int bansThreshold;
    private final int detectionsThreshold;
    private long minute = Long.MIN_VALUE;
    private int bans;
    private int detections;
    private int previousBans;
    private int previousDetections;
    private boolean underAttack;
    private long calmSince = Long.MIN_VALUE;

    public AttackMonitor(int bansThreshold, int detectionsThreshold) {
        this.bansThreshold = bansThreshold;
        this.detectionsThreshold = detectionsThreshold;
    }

    public synchronized Change record(long nowMillis, boolean ban, boolean detection) {
        long m = nowMillis / 60_000;
        if (m != minute) {
            if (m == minute + 1) {
                previousBans = bans;
                previousDetections = detections;
            } else {
                previousBans = 0;
                previousDetections = 0;
            }
            bans = 0;
            detections = 0;
            minute = m;
        }
        if (ban) {
            bans++;
        }
        if (detection) {
            detections++;
        }
        int b = Math.max(bans, previousBans);
        int d = Math.max(detections, previousDetections);
        if (!underAttack && (b >= bansThreshold || d >= detectionsThreshold)) {
            underAttack = true;
            calmSince = Long.MIN_VALUE;
            return Change.STARTED;
        }
        if (underAttack) {
            boolean calm = b * 2 < bansThreshold && d * 2 < detectionsThreshold;
            if (!calm) {
                calmSince = Long.MIN_VALUE;
            } else if (calmSince == Long.MIN_VALUE) {
                calmSince = nowMillis;
            } else if (nowMillis - calmSince >= 60_000) {
                underAttack = false;
                return Change.ENDED;
            }
        }
        return Change.NONE;
    }

    public synchronized int bansPerMinute() {
        return Math.max(bans, previousBans);
    }

    public synchronized int detectionsPerMinute() {
        return Math.max(detections, previousDetections);
    }

    public synchronized boolean underAttack() {
        return underAttack;
    }
}
