package io.caucus.consensus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The binary encodings of membership values are part of the log format: pinned here. */
class ValueFormatTest {

  @Test
  void membershipChangeBytesArePinned() {
    // version 1, kind code 2 (SET_ROLE), UTF "n1", role code 2 (ACTIVE_BACKUP)
    assertArrayEquals(
        new byte[] {1, 2, 0, 2, 'n', '1', 2},
        MembershipChange.setRole("n1", Role.ACTIVE_BACKUP).encode());
    // REMOVE carries no role: role byte 0
    assertArrayEquals(new byte[] {1, 1, 0, 1, 'x', 0}, MembershipChange.remove("x").encode());
  }

  @Test
  void membershipChangeRoundTripsEveryKindAndRole() {
    for (Role role : Role.values()) {
      for (MembershipChange c :
          new MembershipChange[] {
            MembershipChange.add("a", role),
            MembershipChange.setRole("b", role),
            MembershipChange.remove("c")
          }) {
        assertEquals(c, MembershipChange.decode(c.encode()));
      }
    }
  }

  @Test
  void malformedMembershipChangeIsRefusedByName() {
    byte[] good = MembershipChange.add("a", Role.PRIMARY).encode();
    for (int len = 0; len < good.length; len++) {
      byte[] cut = Arrays.copyOf(good, len);
      assertThrows(IllegalArgumentException.class, () -> MembershipChange.decode(cut));
    }
    byte[] badKind = good.clone();
    badKind[1] = 9;
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> MembershipChange.decode(badKind));
    assertEquals("unknown membership change kind code 9", e.getMessage());
    byte[] badVersion = good.clone();
    badVersion[0] = 7;
    assertThrows(IllegalArgumentException.class, () -> MembershipChange.decode(badVersion));
  }

  @Test
  void membershipRoundTripsAndRefusesMalformedBytes() {
    Membership m =
        Membership.of(
            Map.of("n1", Role.PRIMARY, "n2", Role.ACTIVE_BACKUP, "n3", Role.MESSAGING_ONLY));
    assertEquals(m, Membership.decode(m.encode()));
    byte[] good = m.encode();
    for (int len = 0; len < good.length; len++) {
      byte[] cut = Arrays.copyOf(good, len);
      assertThrows(IllegalArgumentException.class, () -> Membership.decode(cut));
    }
  }
}
