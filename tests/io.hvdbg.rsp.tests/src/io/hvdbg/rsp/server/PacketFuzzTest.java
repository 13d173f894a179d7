/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hvdbg.core.VirtualMachine;

/**
 * Mutated packets of every type the stub serves: each gets a reply (never an internal error,
 * never silence), and the session and the VM stay usable. Packets that end the session or run
 * the guest are left out of the mutation (their error paths are covered elsewhere).
 */
class PacketFuzzTest {
    private static final Set<String> SKIP = Set.of("D", "k", "vKill", "c", "C", "s", "S", "vCont",
            "vHvdbg.stepToExit", "QStartNoAckMode");
    private StubFixture f;

    @AfterEach
    void tearDown() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void mutatedPacketsAlwaysGetAnAnswerAndNothingBreaks() throws Exception {
        f = new StubFixture(2);
        Random r = new Random(1234);
        List<String> samples = new ArrayList<>();
        PacketRoutingTest.SAMPLES.forEach((name, sample) -> {
            if (!SKIP.contains(name)) {
                samples.add(sample);
            }
        });
        String alphabet = ",:;=-0123456789abcdefxyzXZ$#}*\u0000\u00ff.pl";
        try (RawConnection c = new RawConnection(f.address())) {
            c.handshakeNoAck();
            for (int i = 0; i < 3000; i++) {
                StringBuilder p = new StringBuilder(samples.get(r.nextInt(samples.size())));
                int edits = 1 + r.nextInt(4);
                for (int e = 0; e < edits && p.length() > 0; e++) {
                    int at = r.nextInt(p.length() + 1);
                    switch (r.nextInt(3)) {
                        case 0 -> p.setLength(Math.min(p.length(), at)); // truncate
                        case 1 -> p.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
                        default -> {
                            if (at < p.length()) {
                                p.deleteCharAt(at);
                            }
                        }
                    }
                }
                byte[] raw = p.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                String name = p.substring(0, PacketTable.nameLength(raw, raw.length));
                if (SKIP.contains(name)) {
                    continue; // the mutation made it a run-control or write packet
                }
                String packet = escapeFraming(p.toString());
                c.send(packet);
                String reply;
                try {
                    reply = c.reply();
                } catch (AssertionError e) {
                    throw new AssertionError("no reply to '" + packet + "': " + e.getMessage());
                }
                assertTrue(reply != null, "no reply to '" + packet + "'");
                assertFalse(reply.contains("internal error"), "'" + packet + "' -> " + reply);
            }
            c.send("qAttached");
            assertEquals("1", c.reply(), "the session is still healthy");
            c.send("vCont;s:1");
            String step = c.reply();
            while (step.startsWith("O")) {
                step = c.reply(); // console text, e.g. the message of an error stop
            }
            assertTrue(step.startsWith("T0"), "and the VM still answers a step (registers may be garbage now): " + step);
            assertEquals(VirtualMachine.RunState.PAUSED, f.vm.runState());
        }
    }

    /** Keeps a mutated packet one packet: framing bytes inside it are escaped as gdb would. */
    private static String escapeFraming(String s) {
        StringBuilder sb = new StringBuilder();
        for (char ch : s.toCharArray()) {
            if (ch == '$' || ch == '#' || ch == '}' || ch == '*') {
                sb.append('}').append((char) (ch ^ 0x20));
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }
}
