/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

import io.hvdbg.core.VirtualMachine;
import io.hvdbg.rsp.codec.FrameEncoder;
import io.hvdbg.rsp.codec.PacketBuffer;

/**
 * The GDB remote stub's listener: accepts one debugger at a time on a TCP address and runs a
 * {@link GdbSession} for it. A second client while one is attached gets a clear refusal
 * (an {@code E.} reply naming the attached client, and a closed connection); the first is
 * not disturbed. Sessions end on detach, kill or disconnect; the next client may then
 * attach.
 */
public final class GdbServer implements AutoCloseable {
    /** Default largest packet the stub accepts (announced as PacketSize). */
    public static final int DEFAULT_MAX_PACKET = 0x10000;

    /**
     * @param address       where to listen ({@link GdbEndpoint#parse} gives 127.0.0.1 unless a host is named)
     * @param maxPacketSize largest packet data accepted from the client
     * @param table         the packet handlers
     * @param log           receives one-line messages (attach, detach, refusals); may be null
     */
    public record Options(InetSocketAddress address, int maxPacketSize, PacketTable table, Consumer<String> log) {
    }

    private final VirtualMachine vm;
    private final Options options;
    private final ServerSocketChannel listener;
    private final Thread acceptThread;
    private final Object lock = new Object();
    private GdbSession session;
    private Thread sessionThread;
    private long sessions;
    private volatile boolean closed;

    private GdbServer(VirtualMachine vm, Options options) throws IOException {
        this.vm = vm;
        this.options = options;
        this.listener = ServerSocketChannel.open();
        listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        try {
            listener.bind(options.address(), 1);
        } catch (IOException e) {
            listener.close();
            throw new IOException("cannot listen for gdb on " + describe(options.address()) + ": " + e.getMessage(), e);
        }
        acceptThread = new Thread(this::acceptLoop, "hvdbg-gdb-listener");
        acceptThread.setDaemon(true);
    }

    /** Starts listening; the VM is not touched until a client attaches. */
    public static GdbServer start(VirtualMachine vm, Options options) throws IOException {
        GdbServer s = new GdbServer(vm, options);
        s.acceptThread.start();
        return s;
    }

    /** The address actually bound (with the real port when 0 was asked for). */
    public InetSocketAddress address() {
        try {
            return (InetSocketAddress) listener.getLocalAddress();
        } catch (IOException e) {
            return options.address();
        }
    }

    public int port() {
        return address().getPort();
    }

    public VirtualMachine vm() {
        return vm;
    }

    private static String describe(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    void log(String message) {
        Consumer<String> l = options.log();
        if (l != null) {
            l.accept(message);
        }
    }

    /** True while a client is attached. */
    public boolean clientAttached() {
        synchronized (lock) {
            return session != null;
        }
    }

    /** Number of clients that have attached so far. */
    public long sessionCount() {
        synchronized (lock) {
            return sessions;
        }
    }

    /** Bytes of output queued for the attached client and not yet taken by its socket (0 if none attached). */
    int outputBacklog() {
        synchronized (lock) {
            return session == null ? 0 : session.outputBacklog();
        }
    }

    /** Waits until a client has attached (at any time since the start); false on timeout. */
    public boolean awaitClient(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        synchronized (lock) {
            while (sessions == 0 && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return sessions > 0;
        }
    }

    /** Waits until no client is attached; false on timeout. */
    public boolean awaitNoClient(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        synchronized (lock) {
            while (session != null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel ch;
            try {
                ch = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    log("gdb stub: accept failed: " + e.getMessage());
                }
                return;
            }
            String peer = peerOf(ch);
            GdbSession s;
            synchronized (lock) {
                if (session != null) {
                    refuse(ch, peer, session.peer());
                    continue;
                }
                try {
                    s = new GdbSession(this, vm, ch, peer, options.table(), options.maxPacketSize());
                } catch (IOException e) {
                    log("gdb stub: cannot serve " + peer + ": " + e.getMessage());
                    closeQuietly(ch);
                    continue;
                }
                session = s;
                sessions++;
                lock.notifyAll();
            }
            Thread t = new Thread(s::run, "hvdbg-gdb-session-" + peer);
            t.setDaemon(true);
            synchronized (lock) {
                sessionThread = t;
            }
            t.start();
        }
    }

    private static String peerOf(SocketChannel ch) {
        try {
            InetSocketAddress a = (InetSocketAddress) ch.getRemoteAddress();
            return describe(a);
        } catch (IOException | RuntimeException e) {
            return "unknown peer";
        }
    }

    /**
     * Tells a second client why it cannot attach: an E. reply (gdb shows it when the first
     * packet it sends is answered with it) plus an O line for clients that read consoles,
     * then closes. Runs on the accept thread with a short send, never blocking the session.
     */
    private void refuse(SocketChannel ch, String peer, String attached) {
        String text = "hvdbg: another debugger (" + attached + ") is already attached to this VM;"
                + " only one client at a time - detach it first";
        log("gdb stub: refused " + peer + ": " + attached + " is attached");
        try {
            PacketBuffer payload = new PacketBuffer().appendErrorText(text);
            PacketBuffer wire = new PacketBuffer();
            wire.append('+');
            FrameEncoder.frame(payload, false, wire);
            // Answer the client's first packet (normally qSupported) if it arrives promptly. The
            // channel stays non-blocking throughout (a channel registered with a selector cannot
            // switch back), and everything is bounded by one deadline.
            ByteBuffer in = ByteBuffer.allocate(4096);
            long deadline = System.nanoTime() + 1_000_000_000L;
            ch.configureBlocking(false);
            try (Selector sel = Selector.open()) {
                ch.register(sel, SelectionKey.OP_READ);
                boolean sawPacket = false;
                while (!sawPacket && System.nanoTime() < deadline) {
                    if (sel.select(Math.max(1, (deadline - System.nanoTime()) / 1_000_000)) == 0) {
                        continue;
                    }
                    sel.selectedKeys().clear();
                    in.clear();
                    int n = ch.read(in);
                    if (n < 0) {
                        return;
                    }
                    for (int i = 0; i < n; i++) {
                        if (in.get(i) == '#') {
                            sawPacket = true;
                        }
                    }
                }
                ByteBuffer out = ByteBuffer.wrap(wire.array(), 0, wire.length());
                long writeDeadline = System.nanoTime() + 1_000_000_000L;
                while (out.hasRemaining() && System.nanoTime() < writeDeadline) {
                    if (ch.write(out) == 0) {
                        Thread.sleep(1);
                    }
                }
            }
            ch.shutdownOutput();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            // the refused client went away; nothing to tell
        } finally {
            closeQuietly(ch);
        }
    }

    void sessionEnded(GdbSession s) {
        synchronized (lock) {
            if (session == s) {
                session = null;
            }
            lock.notifyAll();
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    /** Stops listening and closes the attached session (its clean-up resumes a VM it left stopped). */
    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        GdbSession s;
        Thread t;
        synchronized (lock) {
            s = session;
            t = sessionThread;
            lock.notifyAll();
        }
        if (s != null) {
            s.close();
        }
        if (t != null) {
            // Let the session send its last stop reply (the guest's exit) before the process may end.
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
