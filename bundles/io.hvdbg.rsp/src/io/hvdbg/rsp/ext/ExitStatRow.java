/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.ext;

/**
 * One reason's exit statistics ({@code qHvdbg.stats}); percentages and averages are derived
 * by the reader, as {@code perf kvm stat report} does.
 */
public record ExitStatRow(int reasonId, long samples, long totalNs, long minNs, long maxNs) {
    public double averageNs() {
        return samples == 0 ? 0 : (double) totalNs / samples;
    }
}
