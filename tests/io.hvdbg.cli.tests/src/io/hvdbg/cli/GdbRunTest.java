/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.hvdbg.guests.GuestImages;
import io.hvdbg.rsp.client.RspClient;
import io.hvdbg.rsp.client.StopReply;

/**
 * {@code hvdbg run --gdb PORT --wait-gdb} with the real RISC-V demo guest: the stub listens on
 * loopback, the guest is held at its entry until a debugger attaches, a second client is refused
 * without disturbing the first, and the run ends with the guest's status reported to the client.
 */
class GdbRunTest {
    private static final int RISCV_PC = 32;

    @Test
    void waitGdbHoldsTheGuestUntilAClientAttachesThenRunsToItsEnd() throws Exception {
        Path kernel = GuestImages.extract("riscv64/demo.elf");
        int port = freePort();
        CompletableFuture<CliHarness> run = CompletableFuture.supplyAsync(() -> CliHarness.main("run", "--arch",
                "riscv64", "--kernel", kernel.toString(), "--gdb", Integer.toString(port), "--wait-gdb"));
        try (RspClient client = connectWithRetry(port)) {
            assertEquals("1", client.request("qAttached"));
            // Held at the entry: nothing ran yet.
            long entry = io.hvdbg.core.loader.ElfImage.parse("demo.elf", GuestImages.read("riscv64/demo.elf")).entry();
            assertEquals(entry, client.readRegisterLong(1, RISCV_PC));
            try (RspClient second = RspClient.connect(new InetSocketAddress("127.0.0.1", port),
                    new RspClient.Options(Duration.ofSeconds(5), Duration.ofSeconds(5), 1 << 20, true))) {
                throw new AssertionError("a second client was accepted");
            } catch (IOException refused) {
                assertTrue(refused.getMessage().contains("already attached"), refused.getMessage());
            }
            assertEquals(entry, client.readRegisterLong(1, RISCV_PC), "the first client is undisturbed");
            client.resume();
            StopReply end = client.awaitStop(Duration.ofSeconds(60));
            assertTrue(end.exited(), "the guest's end reaches the client: " + end);
            assertEquals(0, end.code());
        }
        CliHarness r = run.get(60, TimeUnit.SECONDS);
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("guest: PASSED"), r.out());
    }

    @Test
    void theStubListensOnLoopbackOnlyUnlessAHostIsNamed() throws Exception {
        Path kernel = GuestImages.extract("riscv64/demo.elf");
        int port = freePort();
        CompletableFuture<CliHarness> run = CompletableFuture.supplyAsync(() -> CliHarness.main("run", "--arch",
                "riscv64", "--kernel", kernel.toString(), "--gdb", Integer.toString(port), "--wait-gdb"));
        try (RspClient client = connectWithRetry(port)) {
            String other = nonLoopbackAddress();
            if (other != null) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(other, port), 2_000);
                    throw new AssertionError("the stub accepted a connection on " + other);
                } catch (IOException expected) {
                    // refused: bound to 127.0.0.1 only
                }
            }
            client.resume();
            assertTrue(client.awaitStop(Duration.ofSeconds(60)).exited());
        }
        assertEquals(0, run.get(60, TimeUnit.SECONDS).status());
    }

    private static RspClient connectWithRetry(int port) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return RspClient.connect(new InetSocketAddress("127.0.0.1", port),
                        new RspClient.Options(Duration.ofSeconds(5), Duration.ofSeconds(30), 1 << 20, true));
            } catch (IOException e) {
                if (System.nanoTime() > end) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** An address of this machine that is not loopback, or null if it has none. */
    private static String nonLoopbackAddress() throws IOException {
        for (var ni : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            if (ni.isUp() && !ni.isLoopback()) {
                for (var a : java.util.Collections.list(ni.getInetAddresses())) {
                    if (a instanceof java.net.Inet4Address) {
                        return a.getHostAddress();
                    }
                }
            }
        }
        return null;
    }
}
