package io.aegis.gateway.threat.internal;

import java.util.HashSet;
import java.util.Set;

/**
 * One client's statistics in the current window and its decaying score. Each signal (auth
 * failures, 404 probing, scanning, rate) adds its points at most once a window, as soon as it
 * shows; WAF detections add theirs every time.
 */
public final class ClientStats {

    /** The thresholds and points, copied from the settings. */
    public record Rules(long windowMillis, double alpha, int minRequests, int scanPaths, double rateMultiplier,
                        int rateFloor, double wafPoints, double authPoints, double notFoundPoints, double scanPoints,
                        double ratePoints) {
    }

    /** The signal that raised the score most recently. */
    private String lastSignal = "waf";
    private long windowStart = Long.MIN_VALUE;
    private int requests;
    private int authFailures;
    private int notFound;
    private final Set<String> paths = new HashSet<>();
    private boolean authFlag;
    private boolean notFoundFlag;
    private boolean scanFlag;
    private boolean rateFlag;
    private double score;
    private double baseline = -1;

    /**
     * Records one completed request.
     *
     * @param globalBaseline the all-clients baseline of requests a window
     * @return the score after this request; the window's request count is then {@link #lastClosedWindow}
     */
    public synchronized double record(long now, String path, int status, boolean wafHit, Rules r, double globalBaseline,
                                      WindowSink sink) {
        if (windowStart == Long.MIN_VALUE) {
            windowStart = now;
        }
        long elapsed = now - windowStart;
        if (elapsed >= r.windowMillis()) {
            long windows = elapsed / r.windowMillis();
            sink.windowClosed(requests);
            baseline = baseline < 0 ? requests : baseline * (1 - r.alpha()) + requests * r.alpha();
            for (long i = 1; i < windows && i < 64; i++) {
                baseline *= 1 - r.alpha(); // idle windows count as zero
            }
            score *= Math.pow(1 - r.alpha(), Math.min(windows, 64));
            windowStart += windows * r.windowMillis();
            requests = 0;
            authFailures = 0;
            notFound = 0;
            paths.clear();
            authFlag = notFoundFlag = scanFlag = rateFlag = false;
        }
        requests++;
        if (status == 401 || status == 403) {
            authFailures++;
        } else if (status == 404) {
            notFound++;
        }
        if (paths.size() <= r.scanPaths()) {
            paths.add(path);
        }
        if (wafHit) {
            score += r.wafPoints();
            lastSignal = "waf";
        }
        if (requests >= r.minRequests()) {
            if (!authFlag && authFailures * 2 > requests) {
                authFlag = true;
                score += r.authPoints();
                lastSignal = "auth-failures";
            }
            if (!notFoundFlag && notFound * 2 > requests) {
                notFoundFlag = true;
                score += r.notFoundPoints();
                lastSignal = "not-found-probing";
            }
        }
        if (!scanFlag && paths.size() >= r.scanPaths()) {
            scanFlag = true;
            score += r.scanPoints();
            lastSignal = "scanning";
        }
        double limit = Math.max(r.rateFloor(), r.rateMultiplier() * Math.max(globalBaseline, Math.max(0, baseline)));
        if (!rateFlag && requests > limit) {
            rateFlag = true;
            score += r.ratePoints();
            lastSignal = "rate";
        }
        return score;
    }

    /** Clears the score after a ban. */
    public synchronized void reset() {
        score = 0;
    }

    public synchronized String lastSignal() {
        return lastSignal;
    }

    public synchronized double score() {
        return score;
    }

    /** Told the request count of each closed window (for the global baseline). */
    @FunctionalInterface
    public interface WindowSink {
        void windowClosed(int requests);
    }
}
