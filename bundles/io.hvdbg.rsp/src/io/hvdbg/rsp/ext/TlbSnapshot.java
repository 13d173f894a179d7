/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.ext;

import java.util.List;
import java.util.Map;

import io.hvdbg.core.tlb.FlushRecord;
import io.hvdbg.core.tlb.TlbEntry;

/** A vCPU's TLB at one moment ({@code qHvdbg.tlb}). */
public record TlbSnapshot(int vcpu, long hits, long misses, Map<String, Long> flushesByCause,
        Map<String, Long> requestsByCause, Map<String, String> properties, List<TlbEntry> entries,
        List<FlushRecord> history) {
}
