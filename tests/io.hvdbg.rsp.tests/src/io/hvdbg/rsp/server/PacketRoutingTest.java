/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import io.hvdbg.rsp.GdbStub;
import io.hvdbg.rsp.codec.FrameDecoder;
import io.hvdbg.rsp.codec.FrameEncoder;
import io.hvdbg.rsp.codec.PacketBuffer;
import io.hvdbg.rsp.codec.PacketScanner;

/**
 * Every packet type the stub serves, as gdb or the IDE sends it, goes through the codec
 * (framed, decoded) and reaches its handler with the scanner right after the name. The sample
 * list must name every installed packet, so a new packet cannot be added without a sample.
 */
class PacketRoutingTest {
    /** One real-world sample per installed packet name. */
    static final Map<String, String> SAMPLES = new LinkedHashMap<>();

    static {
        SAMPLES.put("qSupported", "qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+;fork-events+;vContSupported+;QThreadEvents+;no-resumed+;memory-tagging+;error-message+");
        SAMPLES.put("QStartNoAckMode", "QStartNoAckMode");
        SAMPLES.put("?", "?");
        SAMPLES.put("qAttached", "qAttached:1");
        SAMPLES.put("vMustReplyEmpty", "vMustReplyEmpty");
        SAMPLES.put("H", "Hg1");
        SAMPLES.put("T", "T2");
        SAMPLES.put("qC", "qC");
        SAMPLES.put("qfThreadInfo", "qfThreadInfo");
        SAMPLES.put("qsThreadInfo", "qsThreadInfo");
        SAMPLES.put("qThreadExtraInfo", "qThreadExtraInfo,1");
        SAMPLES.put("qXfer", "qXfer:features:read:target.xml:0,ffb");
        SAMPLES.put("g", "g");
        SAMPLES.put("G", "G" + "00".repeat(16));
        SAMPLES.put("p", "p10");
        SAMPLES.put("P", "P10=0010000000000000");
        SAMPLES.put("m", "m1000,40");
        SAMPLES.put("M", "M1000,2:9090");
        SAMPLES.put("X", "X1000,4:}\u0003}\u0004}]}\n");
        SAMPLES.put("c", "c");
        SAMPLES.put("C", "C05");
        SAMPLES.put("s", "s");
        SAMPLES.put("S", "S05");
        SAMPLES.put("vCont?", "vCont?");
        SAMPLES.put("vCont", "vCont;s:1;c");
        SAMPLES.put("D", "D");
        SAMPLES.put("k", "k");
        SAMPLES.put("vKill", "vKill;1");
        SAMPLES.put("Z", "Z0,1000,1");
        SAMPLES.put("z", "z2,2000,8");
        SAMPLES.put("qRcmd", "qRcmd,65786974732035");
        SAMPLES.put("qHvdbg.version", "qHvdbg.version");
        SAMPLES.put("qHvdbg.reasons", "qHvdbg.reasons:0");
        SAMPLES.put("qHvdbg.exits", "qHvdbg.exits:0,100000,800000");
        SAMPLES.put("qHvdbg.exit", "qHvdbg.exit:2a");
        SAMPLES.put("qHvdbg.stats", "qHvdbg.stats:0");
        SAMPLES.put("qHvdbg.features", "qHvdbg.features:0");
        SAMPLES.put("qHvdbg.tlb", "qHvdbg.tlb:0,10");
        SAMPLES.put("qHvdbg.state", "qHvdbg.state:1");
        SAMPLES.put("qHvdbg.exitBreaks", "qHvdbg.exitBreaks");
        SAMPLES.put("qHvdbg.exitBreakAdd", "qHvdbg.exitBreakAdd:4350554944");
        SAMPLES.put("QHvdbg.exitBreakDelete", "QHvdbg.exitBreakDelete:1");
        SAMPLES.put("QHvdbg.exitBreakEnable", "QHvdbg.exitBreakEnable:1,0");
        SAMPLES.put("QHvdbg.console", "QHvdbg.console:1");
        SAMPLES.put("vHvdbg.stepToExit", "vHvdbg.stepToExit:1");
    }

    @Test
    void everyInstalledPacketHasASample() {
        assertEquals(new TreeSet<>(GdbStub.packets().names()), new TreeSet<>(SAMPLES.keySet()));
    }

    @Test
    void everySampleIsDecodedAndRoutedToItsHandler() {
        PacketTable recording = new PacketTable();
        String[] hit = new String[2];
        for (String name : GdbStub.packets().names()) {
            recording.on(name, (s, in, out) -> {
                hit[0] = name;
                hit[1] = in.rest();
                return true;
            });
        }
        for (Map.Entry<String, String> e : SAMPLES.entrySet()) {
            PacketBuffer wire = new PacketBuffer();
            byte[] sample = e.getValue().getBytes(StandardCharsets.ISO_8859_1);
            FrameEncoder.frame(sample, 0, sample.length, false, wire);
            FrameDecoder d = new FrameDecoder(4096);
            hit[0] = null;
            d.feed(wire.array(), 0, wire.length(), new FrameDecoder.Sink() {
                @Override
                public void packet(byte[] payload, int length) {
                    int n = PacketTable.nameLength(payload, length);
                    PacketHandler h = recording.lookup(payload, length, n);
                    if (h != null) {
                        PacketScanner in = new PacketScanner(payload, length);
                        in.position(n);
                        h.handle(null, in, new PacketBuffer());
                    }
                }

                @Override
                public void problem(FrameDecoder.Problem problem, String detail) {
                    throw new AssertionError(e.getKey() + ": " + detail);
                }
            });
            assertEquals(e.getKey(), hit[0], "sample " + e.getValue());
            String expectedRest = e.getValue().substring(e.getKey().length());
            if (e.getKey().equals("X")) {
                expectedRest = "1000,4:#$}*"; // escapes removed by the decoder
            }
            assertEquals(expectedRest, hit[1], "arguments of " + e.getKey());
        }
    }

    @Test
    void unknownPacketsHaveNoHandler() {
        PacketTable t = GdbStub.packets();
        for (String p : new String[] {"qTStatus", "vFile:open:", "QNonStop:1", "y", "qHvdbgx", "vContx", ""}) {
            byte[] b = p.getBytes(StandardCharsets.ISO_8859_1);
            assertNull(t.lookup(b, b.length, PacketTable.nameLength(b, b.length)), p);
        }
    }
}
