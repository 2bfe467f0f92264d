#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes reader.umockdev (a 0400:c35a reader: vendor interface, bulk OUT
0x02 and 0x06, bulk IN 0x81 and 0x85) and reader.ioctl (the usbdevfs
dialogue of SAM status, find, select and read of the resident fixture,
then the device vanishing), for umockdev-run. Standard library only."""
import os

here = os.path.dirname(os.path.abspath(__file__))
corpus = os.path.join(here, '..', '..', 'fuzz', 'idcard-corpus')
PRE = bytes([0xAA, 0xAA, 0xAA, 0x96, 0x69])


def frame(body):
    n = len(body) + 1
    head = bytes([n >> 8, n & 0xFF])
    chk = 0
    for b in head + body:
        chk ^= b
    return PRE + head + body + bytes([chk])


def command(cmd, para):
    return frame(bytes([cmd, para]))


dev = '12010002000000400004' + '5ac3' + '0001' + '010200' + '01'
ifc = '0904000004ff000000'
eps = ''.join('0705%02x02400000' % ep for ep in (0x02, 0x06, 0x81, 0x85))
total = 9 + 9 + 4 * 7
cfg = '0902%02x00010100c032' % total + ifc + eps
with open(os.path.join(here, 'reader.umockdev'), 'w') as f:
    f.write('''P: /devices/pci0000:00/0000:00:14.0/usb1/1-4
N: bus/usb/001/007
E: DEVNAME=/dev/bus/usb/001/007
E: DEVTYPE=usb_device
E: DRIVER=usb
E: PRODUCT=400/c35a/100
E: TYPE=0/0/0
E: BUSNUM=001
E: DEVNUM=007
E: MAJOR=189
E: MINOR=6
E: SUBSYSTEM=usb
A: bDeviceClass=00
A: bNumConfigurations=1
A: bConfigurationValue=1
A: busnum=1
A: devnum=7
A: speed=12
A: idVendor=0400
A: idProduct=c35a
A: devpath=4
H: descriptors=%s
''' % (dev + cfg).upper())

lines = ['@DEV /dev/bus/usb/001/007 (usbdevfs)', 'USBDEVFS_CONNECTINFO 0 0700000000000000']


def urb(ep, data, buflen=None, status=0):
    buflen = len(data) if buflen is None else buflen
    lines.append('USBDEVFS_REAPURBNDELAY 0 3 %d %d 0 %d %d 0 %s' % (ep, status, buflen, len(data), data.hex().upper() or '00'))


def exchange(cmd, para, reply):
    c = command(cmd, para)
    urb(0x02, c[:7])
    urb(0x06, c[7:])
    urb(0x81, reply[:7], 64)
    urb(0x85, reply[7:])


exchange(0x11, 0xFF, frame(bytes([0, 0, 0x90])))
exchange(0x20, 0x01, frame(bytes([0, 0, 0x9F, 0, 0, 0, 0])))
exchange(0x20, 0x02, frame(bytes([0, 0, 0x90]) + bytes(8)))
with open(os.path.join(corpus, 'read-resident'), 'rb') as f:
    exchange(0x30, 0x01, f.read())
# The reader is unplugged while the host polls find card.
c = command(0x20, 0x01)
urb(0x02, c[:7])
urb(0x06, c[7:])
lines.append('USBDEVFS_REAPURBNDELAY 0 3 129 -19 0 64 0 0 00')
with open(os.path.join(here, 'reader.ioctl'), 'w') as f:
    f.write('\n'.join(lines) + '\n')
