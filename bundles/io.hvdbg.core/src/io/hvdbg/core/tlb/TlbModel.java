/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.tlb;

import java.util.List;
import java.util.Map;

/** A vCPU's TLB as the inspection views and {@code monitor tlb} see it. */
public interface TlbModel {
    /** Current entries. */
    List<TlbEntry> entries();

    long hits();

    long misses();

    /** Architectural flushes by cause. */
    Map<String, Long> flushesByCause();

    /** Hypervisor flush requests by cause (KVM requests), empty where the model has none. */
    Map<String, Long> requestsByCause();

    /** The most recent flushes and requests, oldest first, at most {@code max}. */
    List<FlushRecord> history(int max);

    /** Model settings worth showing, e.g. {@code svvptc=on}, {@code amd-pge-flush=6.14}. */
    Map<String, String> properties();
}
