/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.exit;

/** Receives exit records as primitives, so that bulk reads of a trace allocate nothing per exit. */
@FunctionalInterface
public interface ExitRecordVisitor {
    /** Returns false to stop the iteration. */
    boolean visit(long seq, int vcpu, int reasonId, long time, long durationNs, long pc, long qualification,
            long info2, long context);
}
