package org.stamkund.engine.contacts;

import java.time.LocalDate;

/**
 * A validated personal identity number.
 *
 * @param value the normalised form: Swedish numbers as twelve digits {@code YYYYMMDDNNNN}
 *     (samordningsnummer keep their day plus 60); Finnish HETU as {@code DDMMYYCZZZQ} in upper case
 * @param country {@code SE} or {@code FI}
 * @param birthDate the date of birth the number encodes
 * @param coordinationNumber true for a Swedish samordningsnummer
 */
public record PersonalIdentityNumber(
    String value, String country, LocalDate birthDate, boolean coordinationNumber) {}
