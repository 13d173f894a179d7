/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

import io.hvdbg.core.VirtualMachine;
import io.hvdbg.rsp.ext.HvdbgPackets;
import io.hvdbg.rsp.monitor.Monitor;
import io.hvdbg.rsp.server.GdbEndpoint;
import io.hvdbg.rsp.server.GdbServer;
import io.hvdbg.rsp.server.PacketTable;
import io.hvdbg.rsp.server.StandardPackets;

/**
 * Starts hvdbg's GDB remote stub for a VM: the standard packets, the {@code monitor}
 * commands and the {@code qHvdbg} extensions. The entry point the command line
 * ({@code --gdb}) and the IDE use.
 */
public final class GdbStub {
    private GdbStub() {
    }

    /** All packets hvdbg's stub serves. */
    public static PacketTable packets() {
        PacketTable t = StandardPackets.install(new PacketTable());
        Monitor.standard().install(t);
        HvdbgPackets.install(t);
        return t;
    }

    /**
     * Listens on {@code spec}: {@code PORT} (127.0.0.1 only) or {@code HOST:PORT}.
     *
     * @throws IllegalArgumentException if the spec is malformed (message names it)
     * @throws IOException              if the address cannot be bound (message names it)
     */
    public static GdbServer start(VirtualMachine vm, String spec, Consumer<String> log) throws IOException {
        return start(vm, GdbEndpoint.parse(spec), log);
    }

    public static GdbServer start(VirtualMachine vm, InetSocketAddress address, Consumer<String> log)
            throws IOException {
        return GdbServer.start(vm, new GdbServer.Options(address, GdbServer.DEFAULT_MAX_PACKET, packets(), log));
    }
}
