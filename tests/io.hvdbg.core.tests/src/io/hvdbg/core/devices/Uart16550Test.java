/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.hvdbg.core.GuestConsole;
import io.hvdbg.core.memory.PioHandler;

/** The register behaviour a Linux 8250 driver and polled firmware consoles rely on. */
class Uart16550Test {
    private final GuestConsole console = new GuestConsole(4096);
    private final List<Integer> irq = new ArrayList<>();
    private final Uart16550 uart = new Uart16550(console, irq::add);

    @Test
    void transmitGoesToTheConsoleAndTheDivisorLatchHidesTheDataRegister() {
        uart.write(0, 1, 'h');
        uart.write(3, 1, 0x80); // DLAB
        uart.write(0, 1, 0x0C);
        uart.write(1, 1, 0x00);
        assertEquals(0x0C, uart.read(0, 1));
        uart.write(3, 1, 0x03); // 8N1, DLAB off
        uart.write(0, 1, 'i');
        assertEquals("hi", console.transcript());
        assertEquals(2, uart.bytesWritten());
    }

    @Test
    void fifoBitsInIirFollowFcrSoDriversDetectA16550A() {
        assertEquals(0x01, uart.read(2, 1));
        uart.write(2, 1, 0x07); // enable + reset both FIFOs
        assertEquals(0xC1, uart.read(2, 1));
    }

    @Test
    void receiveDataRaisesTheLineUntilRead() {
        uart.write(1, 1, 0x01); // IER: received data available
        console.offerInput("x".getBytes(StandardCharsets.US_ASCII));
        uart.poll();
        assertEquals(List.of(1), irq);
        assertEquals(0x01, uart.read(5, 1) & 0x01, "LSR.DR");
        assertEquals(0x04, uart.read(2, 1) & 0x0F, "IIR: received data");
        assertEquals('x', uart.read(0, 1));
        assertEquals(List.of(1, 0), irq);
        assertEquals(0x60, uart.read(5, 1), "LSR: THRE | TEMT, no data");
    }

    @Test
    void transmitterEmptyInterruptIsClearedByReadingIir() {
        uart.write(1, 1, 0x02); // IER: THR empty -> pending at once
        assertEquals(List.of(1), irq);
        assertEquals(0x02, uart.read(2, 1) & 0x0F);
        assertEquals(List.of(1, 0), irq);
        assertEquals(0x01, uart.read(2, 1) & 0x0F, "no interrupt pending");
    }

    @Test
    void comPortsMapTheSameRegisters() {
        PioHandler com1 = uart.asPorts(Uart16550.COM1);
        com1.out(Uart16550.COM1 + 7, 1, 0x5A);
        assertEquals(0x5A, com1.in(Uart16550.COM1 + 7, 1));
        com1.out(Uart16550.COM1, 1, 'A');
        assertEquals("A", console.transcript());
        assertEquals(0x60, com1.in(Uart16550.COM1 + 5, 1));
    }
}
