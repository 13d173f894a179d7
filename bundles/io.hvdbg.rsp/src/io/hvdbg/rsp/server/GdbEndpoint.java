/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Where the stub listens, from the {@code --gdb} argument: {@code PORT} binds the loopback
 * interface 127.0.0.1 only; another interface must be named explicitly as {@code HOST:PORT}
 * ({@code 0.0.0.0:1234}, {@code [::1]:1234}). Port 0 picks a free port.
 */
public final class GdbEndpoint {
    /** 127.0.0.1 exactly (not whatever the JVM prefers as loopback, which may be ::1). */
    public static final InetAddress LOOPBACK;

    static {
        try {
            LOOPBACK = InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private GdbEndpoint() {
    }

    /**
     * Parses {@code PORT} or {@code HOST:PORT}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static InetSocketAddress parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("--gdb needs a port or HOST:PORT");
        }
        String s = spec.trim();
        String host = null;
        String port = s;
        int colon = s.lastIndexOf(':');
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("--gdb " + spec + ": write an IPv6 address as [ADDRESS]:PORT");
            }
            host = s.substring(1, close);
            port = s.substring(close + 2);
        } else if (colon >= 0) {
            if (s.indexOf(':') != colon) {
                throw new IllegalArgumentException("--gdb " + spec + ": write an IPv6 address as [ADDRESS]:PORT");
            }
            host = s.substring(0, colon);
            port = s.substring(colon + 1);
            if (host.isEmpty()) {
                throw new IllegalArgumentException("--gdb " + spec + ": the host before ':' is empty");
            }
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--gdb " + spec + ": '" + port + "' is not a port number");
        }
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException("--gdb " + spec + ": port " + p + " is outside 0-65535");
        }
        if (host == null) {
            return new InetSocketAddress(LOOPBACK, p);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), p);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--gdb " + spec + ": unknown host '" + host + "'");
        }
    }
}
