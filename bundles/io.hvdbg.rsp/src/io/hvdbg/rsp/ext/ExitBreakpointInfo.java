/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.ext;

/**
 * An exit breakpoint as {@code qHvdbg.exitBreaks} lists it.
 *
 * @param category    category matched, or empty
 * @param reason      native reason name matched, or empty (empty both: any exit)
 * @param condition   condition text, or empty
 * @param vcpu        vCPU it is restricted to, or -1
 * @param description what it matches, in words
 */
public record ExitBreakpointInfo(int id, String category, String reason, String condition, int vcpu,
        boolean temporary, boolean enabled, long hits, String description) {
}
