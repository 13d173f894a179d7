/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

import io.hvdbg.rsp.codec.FrameDecoder;
import io.hvdbg.rsp.codec.FrameEncoder;
import io.hvdbg.rsp.codec.PacketBuffer;

/** A socket to the stub that sends raw bytes and sees every ack and packet, for protocol-level tests. */
final class RawConnection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final FrameDecoder decoder = new FrameDecoder(1 << 24);
    private final Deque<String> events = new ArrayDeque<>();
    private int lastWireLength;

    RawConnection(InetSocketAddress address) throws IOException {
        this(address, 0);
    }

    /** @param receiveBuffer socket receive buffer in bytes (small: the stub's output backs up soon), 0 for the default */
    RawConnection(InetSocketAddress address, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(address, 5000);
        socket.setSoTimeout(5000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    void sendRaw(String bytes) throws IOException {
        out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Sends a whole packet one byte at a time, sleeping {@code delayMillis} between bytes; runs {@code midway} halfway. */
    void sendSlowly(String packet, long delayMillis, Runnable midway) throws IOException, InterruptedException {
        PacketBuffer w = new PacketBuffer();
        byte[] b = packet.getBytes(StandardCharsets.ISO_8859_1);
        FrameEncoder.frame(b, 0, b.length, false, w);
        for (int i = 0; i < w.length(); i++) {
            out.write(w.array()[i]);
            out.flush();
            if (i == w.length() / 2 && midway != null) {
                midway.run();
            }
            Thread.sleep(delayMillis);
        }
    }

    /** Reads exactly one byte from the socket (for reading a reply slowly), bypassing the decoder. */
    int readByte() throws IOException {
        return in.read();
    }

    /** Feeds bytes read elsewhere (e.g. with {@link #readByte}) to the decoder, as if just received. */
    void feed(byte[] bytes, int length) {
        decode(bytes, length);
    }

    void send(String packet) throws IOException {
        PacketBuffer w = new PacketBuffer();
        byte[] b = packet.getBytes(StandardCharsets.ISO_8859_1);
        FrameEncoder.frame(b, 0, b.length, false, w);
        out.write(w.array(), 0, w.length());
        out.flush();
    }

    void interrupt() throws IOException {
        out.write(3);
        out.flush();
    }

    /** The next event: "+", "-" or "$" followed by the packet text (RLE expanded). */
    String next() throws IOException {
        while (events.isEmpty()) {
            byte[] buf = new byte[65536];
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the stub sent nothing within 5 s");
            }
            if (n < 0) {
                return null;
            }
            lastWireLength = n;
            decode(buf, n);
        }
        return events.poll();
    }

    private void decode(byte[] buf, int n) {
        {
            decoder.feed(buf, 0, n, new FrameDecoder.Sink() {
                @Override
                public void packet(byte[] payload, int length) {
                    events.add("$" + new String(payload, 0, length, StandardCharsets.ISO_8859_1));
                }

                @Override
                public void ack() {
                    events.add("+");
                }

                @Override
                public void nack() {
                    events.add("-");
                }

                @Override
                public void problem(FrameDecoder.Problem problem, String detail) {
                    events.add("!" + problem + ": " + detail);
                }
            });
        }
    }

    /** The next packet, skipping acks. */
    String reply() throws IOException {
        String e;
        do {
            e = next();
        } while (e != null && !e.startsWith("$"));
        return e == null ? null : e.substring(1);
    }

    /** Bytes of the last read from the socket (one small reply arrives in one read). */
    int lastWireLength() {
        return lastWireLength;
    }

    void handshakeNoAck() throws IOException {
        sendRaw("+");
        send("qSupported:swbreak+");
        if (!next().equals("+")) {
            throw new AssertionError("no ack for qSupported");
        }
        reply();
        sendRaw("+");
        send("QStartNoAckMode");
        next();
        if (!"OK".equals(reply())) {
            throw new AssertionError("QStartNoAckMode refused");
        }
        sendRaw("+");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
