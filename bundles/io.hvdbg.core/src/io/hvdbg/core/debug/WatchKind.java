/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.debug;

/** What a watchpoint triggers on; the names are gdb's stop-reply keys. */
public enum WatchKind {
    WRITE("watch"),
    READ("rwatch"),
    ACCESS("awatch");

    private final String stopKey;

    WatchKind(String stopKey) {
        this.stopKey = stopKey;
    }

    /** Key of the gdb stop reply ({@code watch}, {@code rwatch}, {@code awatch}). */
    public String stopKey() {
        return stopKey;
    }

    public boolean triggersOn(boolean write) {
        return this == ACCESS || (this == WRITE) == write;
    }
}
