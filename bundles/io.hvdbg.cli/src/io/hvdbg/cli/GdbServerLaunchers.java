/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import io.hvdbg.core.VirtualMachine;
import io.hvdbg.rsp.GdbStub;

/** Which {@link GdbServerLauncher} {@code hvdbg run --gdb} uses. */
public final class GdbServerLaunchers {
    private GdbServerLaunchers() {
    }

    // =========================================================================================
    // RSP stub slot: the io.hvdbg.rsp stub. This is the only place io.hvdbg.cli touches it.
    // =========================================================================================
    static final GdbServerLauncher INSTALLED = GdbServerLaunchers::rspStub;

    /** The launcher {@code hvdbg run --gdb} uses. */
    public static GdbServerLauncher installed() {
        return INSTALLED;
    }

    /**
     * Serves the VM with hvdbg's stub (one client at a time; a second is refused). The VM is
     * not touched until a debugger attaches: with {@code --wait-gdb} it stays paused until the
     * debugger resumes it, otherwise the caller resumes it and an attaching debugger stops it.
     */
    private static GdbServer rspStub(VirtualMachine vm, GdbEndpoint endpoint, boolean wait, PrintStream log)
            throws IOException {
        InetAddress host;
        try {
            host = InetAddress.getByName(endpoint.host());
        } catch (UnknownHostException e) {
            throw new IOException("unknown host '" + endpoint.host() + "'");
        }
        io.hvdbg.rsp.server.GdbServer server = GdbStub.start(vm, new InetSocketAddress(host, endpoint.port()),
                message -> log.println("hvdbg: " + message));
        GdbEndpoint bound = new GdbEndpoint(endpoint.host(), server.port());
        log.println("hvdbg: gdb stub listening on " + bound + (wait
                ? "; the guest waits for a debugger (gdb: target remote " + bound + ")"
                : "; the guest runs (gdb: target remote " + bound + " stops it)"));
        log.flush();
        return new GdbServer() {
            @Override
            public GdbEndpoint endpoint() {
                return bound;
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }
}
