/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.VirtualMachine;
import io.hvdbg.core.VmConfig;
import io.hvdbg.guests.GuestImages;
import io.hvdbg.riscv.RiscvMachineFactory;
import io.hvdbg.rsp.GdbStub;
import io.hvdbg.rsp.client.RspClient;
import io.hvdbg.rsp.server.GdbServer;

/**
 * Arbitrary packets to the real stub over loopback, serving the RISC-V demo guest: every
 * packet gets a reply within the timeout, and the stub still answers afterwards. Packets that
 * would legitimately run, kill, detach or restart the target are left out, so a hang means a bug.
 */
public final class RspStubFuzz {
    private static VirtualMachine VM;
    private static GdbServer SERVER;
    private static RspClient CLIENT;

    /**
     * Called by Jazzer once, after class initialisation: the stub's session thread calls back
     * into this class (its log), which must not wait on a class initialiser that waits on it.
     */
    public static void fuzzerInitialize() throws Exception {
        VM = new RiscvMachineFactory().create(VmConfig.defaults(Architecture.RISCV64).withMemoryMiB(32)
                .withKernel(GuestImages.extract("riscv64/demo.elf")));
        VM.start();
        SERVER = GdbStub.start(VM, new InetSocketAddress("127.0.0.1", 0), line -> { });
        CLIENT = RspClient.connect(SERVER.address(),
                new RspClient.Options(Duration.ofSeconds(5), Duration.ofSeconds(5), 1 << 20, true));
    }

    public static void fuzzerTestOneInput(byte[] data) {
        if (data.length == 0 || movesTheTarget(data)) {
            return;
        }
        try {
            CLIENT.requestBytes(escape(data));
            String attached = CLIENT.request("qAttached");
            if (!attached.equals("1") && !attached.equals("0")) {
                throw new AssertionError("stub answered qAttached with '" + attached + "' after a fuzzed packet");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the stub stopped answering after a fuzzed packet", e);
        }
        Throwable bug = VM.lastInternalError();
        if (bug != null) {
            throw new AssertionError("a Java exception escaped the core: " + bug, bug);
        }
    }

    /** c, C, s, S, vCont;…, k, D, R, r, vKill, vRun, ! and the like change what runs; they are not what is fuzzed here. */
    private static boolean movesTheTarget(byte[] d) {
        char c = (char) d[0];
        if ("cCsSkDRr!iI".indexOf(c) >= 0) {
            return true;
        }
        String head = new String(d, 0, Math.min(d.length, 8), java.nio.charset.StandardCharsets.ISO_8859_1);
        return head.startsWith("vCont") || head.startsWith("vKill") || head.startsWith("vRun")
                || head.startsWith("vAttach") || head.startsWith("bc") || head.startsWith("bs")
                || head.startsWith("qRcmd");
    }

    /** The wire form of arbitrary bytes: $, #, } and * escaped as GDB does. */
    private static byte[] escape(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 8);
        for (byte b : data) {
            if (b == '$' || b == '#' || b == '}' || b == '*') {
                out.write('}');
                out.write(b ^ 0x20);
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }
}
