/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.server;

/** Installs the standard remote-protocol packets every gdb stub serves. */
public final class StandardPackets {
    private StandardPackets() {
    }

    public static PacketTable install(PacketTable table) {
        QueryPackets.install(table);
        DataPackets.install(table);
        RunControlPackets.install(table);
        return table;
    }
}
