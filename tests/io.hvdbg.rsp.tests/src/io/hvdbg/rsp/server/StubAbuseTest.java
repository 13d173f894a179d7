/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hvdbg.core.StopEvent;
import io.hvdbg.core.StopReason;
import io.hvdbg.core.VirtualMachine;
import io.hvdbg.rsp.client.RspClient;

/**
 * Clients that misbehave on purpose: too slow to send, too slow (or unwilling) to read, gone in
 * the middle of a packet. None of them may wedge the VM thread, and the stub must serve them
 * correctly once they catch up, or the next client once they are gone.
 */
class StubAbuseTest {
    /** Where random (incompressible: no run-length encoding) bytes are loaded for big memory reads. */
    private static final long NOISE = 0x10000;
    private static final int NOISE_SIZE = 0x4000;
    /** mov rax, 'x'; out 0xe9, al; jmp back to the out: prints 'x' forever. */
    private static final long PRINTER = 0x8000;
    private static final byte[] PRINTER_PROGRAM = {0x48, (byte) 0xc7, (byte) 0xc0, 'x', 0, 0, 0,
        (byte) 0xe6, (byte) 0xe9, (byte) 0xeb, (byte) 0xfc};

    private StubFixture f;

    @AfterEach
    void tearDown() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void aClientSendingOneByteAtATimeDoesNotHoldUpTheVmAndIsServedOnceItsPacketIsComplete() throws Exception {
        f = new StubFixture(1);
        try (RawConnection c = new RawConnection(f.address())) {
            c.handshakeNoAck();
            // Stopped VM (all-stop, attached): another thread's step still completes mid-packet.
            AtomicReference<StopEvent> stepped = new AtomicReference<>();
            c.sendSlowly("m2000,8", 15, () -> stepped.set(stepAndWait(f.vm)));
            assertNotNull(stepped.get(), "a step on the VM thread did not complete while the client dribbled a packet");
            assertEquals(StopReason.STEP, stepped.get().reason());
            assertEquals(hex(f.vm, StubFixture.COUNTER, 8), c.reply());

            // Running VM: the guest keeps counting while the client dribbles its next packet.
            c.send("vCont;c");
            long before = counter(f.vm);
            long[] during = new long[1];
            c.sendSlowly("qAttached", 40, () -> during[0] = counter(f.vm));
            long after = counter(f.vm);
            assertTrue(before < during[0] && during[0] < after,
                    "the guest must keep running while a packet trickles in: " + before + " " + during[0] + " " + after);
            assertEquals("1", c.reply());

            // The reply of the interrupt, read back one byte at a time.
            c.interrupt();
            StringBuilder wire = new StringBuilder();
            int b;
            do {
                b = c.readByte();
                wire.append((char) b);
                Thread.sleep(5);
            } while (b >= 0 && wire.indexOf("#") < 0 || wire.length() - wire.indexOf("#") < 3);
            byte[] bytes = wire.toString().getBytes(StandardCharsets.ISO_8859_1);
            c.feed(bytes, bytes.length);
            String stop = c.reply();
            assertTrue(stop.startsWith("T") || stop.startsWith("S"), "a stop reply, read slowly: " + stop);
        }
    }

    @Test
    void aClientThatDoesNotReadItsRepliesForAWhileGetsThemAllLaterAndTheStubQueuesBoundedly() throws Exception {
        f = new StubFixture(1);
        byte[] noise = new byte[NOISE_SIZE];
        new Random(9).nextBytes(noise);
        f.vm.load(NOISE, noise);
        String expected = HexFormat.of().formatHex(noise);
        int requests = 400; // 400 x 32 KiB of hex: far beyond the socket buffers and the stub's limit
        try (RawConnection c = new RawConnection(f.address(), 8192)) {
            c.handshakeNoAck();
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < requests; i++) {
                        c.send(String.format("m%x,%x", NOISE, NOISE_SIZE));
                    }
                } catch (IOException e) {
                    // the test fails below on missing replies
                }
            }, "slow-reader-writer");
            writer.setDaemon(true);
            writer.start();
            // Not reading: the stub's queue fills up to its limit and it stops taking requests.
            long deadline = System.currentTimeMillis() + 5000;
            while (f.server.outputBacklog() < GdbSession.OUTPUT_BACKLOG_LIMIT && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(200);
            int backlog = f.server.outputBacklog();
            assertTrue(backlog >= GdbSession.OUTPUT_BACKLOG_LIMIT, "the replies should have backed up: " + backlog);
            // Beyond the limit at most the replies to the requests of one decoded input slice.
            int request = String.format("$m%x,%x#00", NOISE, NOISE_SIZE).length();
            int bound = GdbSession.OUTPUT_BACKLOG_LIMIT + (GdbSession.INPUT_SLICE / request + 1) * (2 * NOISE_SIZE + 4);
            assertTrue(backlog <= bound,
                    "the stub must stop reading requests at its backlog limit, not queue without bound: " + backlog);
            StopEvent e = stepAndWait(f.vm);
            assertNotNull(e, "the VM thread must not be held up by a client that does not read");
            assertEquals(StopReason.STEP, e.reason());
            // Now read everything: every reply arrives, whole and in order.
            for (int i = 0; i < requests; i++) {
                assertEquals(expected, c.reply(), "reply " + i);
            }
            writer.join(5000);
            c.send("qAttached");
            assertEquals("1", c.reply());
        }
    }

    @Test
    void clientsThatDisconnectMidPacketLeaveTheStubServingTheNextClientAndTheVmIntact() throws Exception {
        f = new StubFixture(1);
        byte[] original = read(f.vm, 0x5000, 16);
        // Gone after the address and comma of an m packet, no checksum.
        try (Socket s = new Socket("127.0.0.1", f.server.port())) {
            s.getOutputStream().write("+$m1000,".getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            assertTrue(f.server.awaitClient(5000));
        }
        assertTrue(f.server.awaitNoClient(5000), "the stub must notice the client left mid-packet");
        // Gone in the middle of a binary X packet: 5 of 16 data bytes sent.
        try (Socket s = new Socket("127.0.0.1", f.server.port())) {
            OutputStream out = s.getOutputStream();
            out.write("+$X5000,10:".getBytes(StandardCharsets.ISO_8859_1));
            out.write(new byte[] {1, 2, 3, (byte) 0x7d, 0x5d});
            out.flush();
            long deadline = System.currentTimeMillis() + 5000;
            while (f.server.sessionCount() < 2 && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
        }
        assertTrue(f.server.awaitNoClient(5000));
        assertEquals(2, f.server.sessionCount());
        assertEquals(HexFormat.of().formatHex(original), HexFormat.of().formatHex(read(f.vm, 0x5000, 16)),
                "nothing of an unfinished X packet may reach guest memory");
        assertNotEquals(VirtualMachine.RunState.TERMINATED, f.vm.runState());
        // The VM runs on after the clients left, and the next client is served normally.
        long count = counter(f.vm);
        Thread.sleep(50);
        assertTrue(counter(f.vm) > count, "the guest should run on after the clients went");
        RspClient next = f.connect();
        assertEquals(3, f.server.sessionCount());
        assertNotNull(next.status());
        assertEquals(8, next.readMemory(1, StubFixture.COUNTER, 8).length);
        assertNotNull(next.step(1), "run control works for the next client");
    }

    @Test
    void aClientThatStopsReadingWhileTheGuestPrintsDoesNotBlockTheVmAndLearnsWhatWasDropped() throws Exception {
        f = new StubFixture(1);
        f.vm.load(PRINTER, PRINTER_PROGRAM);
        f.vm.testVcpu(0).setPc(PRINTER);
        try (RawConnection c = new RawConnection(f.address(), 4096)) {
            c.handshakeNoAck();
            c.send("QHvdbg.console:1");
            assertEquals("OK", c.reply());
            java.util.concurrent.atomic.AtomicLong printedBytes = new java.util.concurrent.atomic.AtomicLong();
            f.vm.console().addOutputListener(b -> printedBytes.incrementAndGet());
            c.send("vCont;c");
            // Not reading for a while: the guest prints on, the stub's queue stays bounded.
            // The kernel's socket buffers take the first megabytes; then output backs up in the stub.
            long instructions = f.vm.vcpu(0).instructions();
            int maxBacklog = 0;
            long deadline = System.currentTimeMillis() + 15_000;
            while (maxBacklog < GdbSession.CONSOLE_BACKLOG_LIMIT && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
                maxBacklog = Math.max(maxBacklog, f.server.outputBacklog());
            }
            for (int i = 0; i < 30; i++) {
                Thread.sleep(10);
                maxBacklog = Math.max(maxBacklog, f.server.outputBacklog());
            }
            assertTrue(f.vm.vcpu(0).instructions() > instructions + 100_000,
                    "the guest must keep running while its console output is not read");
            long printed = printedBytes.get();
            assertTrue(printed > 200_000, "the guest printed only " + printed + " bytes");
            // At most the limit plus one drained console buffer (hex: twice its size) and framing.
            assertTrue(maxBacklog <= GdbSession.CONSOLE_BACKLOG_LIMIT + 2 * GdbSession.CONSOLE_LIMIT + 2048,
                    "console output must not pile up in the stub: " + maxBacklog + " bytes queued");
            // Catch up: the O packets, a notice of what was dropped, then the stop reply of the interrupt.
            c.interrupt();
            long xs = 0;
            boolean droppedNotice = false;
            String r;
            while ((r = c.reply()) != null && r.startsWith("O")) {
                String text = new String(HexFormat.of().parseHex(r.substring(1)), StandardCharsets.ISO_8859_1);
                if (text.contains("bytes of guest console output dropped")) {
                    droppedNotice = true;
                } else {
                    assertTrue(text.chars().allMatch(ch -> ch == 'x'), text);
                    xs += text.length();
                }
            }
            assertNotNull(r);
            assertTrue(r.startsWith("T") || r.startsWith("S"), "the stop reply after the console output: " + r);
            assertTrue(droppedNotice, "the client must be told that console output was dropped");
            assertTrue(xs > 0 && xs < printedBytes.get(), xs + " of " + printedBytes.get() + " bytes arrived");
            c.send("qAttached");
            assertEquals("1", c.reply());
        }
    }

    private static StopEvent stepAndWait(VirtualMachine vm) {
        try {
            return vm.stepAndWait(0, 5000);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static long counter(VirtualMachine vm) {
        byte[] b = read(vm, StubFixture.COUNTER, 8);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (b[i] & 0xFF);
        }
        return v;
    }

    private static String hex(VirtualMachine vm, long address, int length) {
        return HexFormat.of().formatHex(read(vm, address, length));
    }

    private static byte[] read(VirtualMachine vm, long address, int length) {
        byte[] b = new byte[length];
        vm.memory().read(address, b, 0, length);
        return b;
    }
}
