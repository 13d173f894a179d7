/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.server;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import io.hvdbg.core.Vcpu;
import io.hvdbg.rsp.codec.PacketBuffer;
import io.hvdbg.rsp.codec.PacketScanner;
import io.hvdbg.rsp.codec.ThreadId;

/**
 * Connection set-up, status and thread packets: {@code qSupported}, {@code QStartNoAckMode},
 * {@code ?}, {@code qAttached}, {@code vMustReplyEmpty}, {@code H}, {@code T}, {@code qC},
 * {@code qfThreadInfo}/{@code qsThreadInfo}, {@code qThreadExtraInfo} and {@code qXfer}
 * ({@code features:read:target.xml}, {@code threads:read}).
 */
final class QueryPackets {
    private QueryPackets() {
    }

    static void install(PacketTable t) {
        t.on("qSupported", QueryPackets::supported);
        t.on("QStartNoAckMode", (s, in, out) -> {
            out.appendAscii("OK");
            s.disableAcksAfterReply();
            return true;
        });
        t.on("?", (s, in, out) -> {
            s.writeStatus(out);
            return true;
        });
        t.on("qAttached", (s, in, out) -> {
            out.append('1'); // we attached to a VM that exists on its own: detach, not kill, on quit
            return true;
        });
        t.on("vMustReplyEmpty", (s, in, out) -> true);
        t.on("H", QueryPackets::setThread);
        t.on("T", (s, in, out) -> {
            long tid = ThreadId.read(in);
            if (s.vcpuOfThread(tid) < 0) {
                out.appendAscii("E01");
            } else {
                out.appendAscii("OK");
            }
            return true;
        });
        t.on("qC", (s, in, out) -> {
            out.appendAscii("QC").appendHexNumber(s.threadIdOf(s.currentVcpu()));
            return true;
        });
        t.on("qfThreadInfo", (s, in, out) -> {
            out.append('m');
            for (int i = 0; i < s.vm().vcpuCount(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.appendHexNumber(s.threadIdOf(i));
            }
            return true;
        });
        t.on("qsThreadInfo", (s, in, out) -> {
            out.append('l');
            return true;
        });
        t.on("qThreadExtraInfo", (s, in, out) -> {
            in.expect(',');
            int v = s.vcpuOfThread(ThreadId.read(in));
            if (v < 0) {
                out.appendAscii("E01");
            } else {
                out.appendHexText(describe(s.vm().vcpu(v)));
            }
            return true;
        });
        t.on("qXfer", QueryPackets::transfer);
    }

    /** What the stub offers; the client's own features are remembered for stop replies. */
    private static boolean supported(GdbSession s, PacketScanner in, PacketBuffer out) {
        Set<String> features = new HashSet<>();
        if (in.accept(':')) {
            for (String f : in.rest().split(";")) {
                if (f.endsWith("+")) {
                    features.add(f.substring(0, f.length() - 1));
                } else if (f.contains("=")) {
                    features.add(f.substring(0, f.indexOf('=')));
                }
            }
        }
        s.setClientFeatures(features);
        out.appendAscii("PacketSize=").appendHexNumber(s.maxPacketSize());
        out.appendAscii(";qXfer:features:read+;qXfer:threads:read+;QStartNoAckMode+;vContSupported+");
        out.appendAscii(";swbreak+;hwbreak+;qHvdbg+");
        return true;
    }

    /** Hg/Hc: the thread for register and memory access, and for the old c/s packets. */
    private static boolean setThread(GdbSession s, PacketScanner in, PacketBuffer out) {
        int op = in.next();
        long tid = ThreadId.read(in);
        int v = s.vcpuOfThread(tid);
        if (tid != ThreadId.ALL && tid != ThreadId.ANY && v < 0) {
            out.appendAscii("E01");
            return true;
        }
        switch (op) {
            case 'g' -> {
                if (v >= 0) {
                    s.setGeneralVcpu(v);
                }
            }
            case 'c' -> s.setContinueVcpu(v);
            default -> throw in.error("H must be followed by g or c");
        }
        out.appendAscii("OK");
        return true;
    }

    static String describe(Vcpu v) {
        try {
            return v.describeState();
        } catch (RuntimeException e) {
            return v.state().name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** qXfer:OBJECT:read:ANNEX:OFFSET,LENGTH. */
    private static boolean transfer(GdbSession s, PacketScanner in, PacketBuffer out) {
        in.expect(':');
        String object = in.until(':');
        String op = in.until(':');
        String annex = in.until(':');
        long offset = in.hex();
        in.expect(',');
        long length = in.hex();
        if (!op.equals("read")) {
            return true; // writes of any object are not supported: empty reply
        }
        byte[] doc;
        switch (object) {
            case "features" -> {
                if (!annex.equals("target.xml")) {
                    out.appendAscii("E00");
                    return true;
                }
                doc = s.targetXml().getBytes(StandardCharsets.UTF_8);
            }
            case "threads" -> {
                // Built fresh at offset 0 and kept for the reads that follow, so one document is consistent.
                if (offset == 0 || !(s.attributes().get("qXfer:threads") instanceof byte[])) {
                    s.attributes().put("qXfer:threads", threadsXml(s).getBytes(StandardCharsets.UTF_8));
                }
                doc = (byte[]) s.attributes().get("qXfer:threads");
            }
            default -> {
                return true; // unknown object: unsupported
            }
        }
        partial(doc, offset, length, out);
        return true;
    }

    /** A qXfer reply: 'm' and a piece, or 'l' and the last piece, escaped. */
    static void partial(byte[] doc, long offset, long length, PacketBuffer out) {
        if (offset >= doc.length) {
            out.append('l');
            return;
        }
        int n = (int) Math.min(length, doc.length - offset);
        out.append(offset + n >= doc.length ? 'l' : 'm');
        out.appendEscaped(doc, (int) offset, n);
    }

    private static String threadsXml(GdbSession s) {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\"?>\n<threads>\n");
        for (int i = 0; i < s.vm().vcpuCount(); i++) {
            Vcpu v = s.vm().vcpu(i);
            sb.append("<thread id=\"").append(Long.toHexString(s.threadIdOf(i))).append("\" core=\"")
                    .append(Integer.toHexString(i)).append("\" name=\"vCPU ").append(i).append("\">")
                    .append(xml(describe(v))).append("</thread>\n");
        }
        return sb.append("</threads>\n").toString();
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
