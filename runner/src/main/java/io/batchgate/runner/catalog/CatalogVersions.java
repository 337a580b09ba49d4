package io.batchgate.runner.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * The immutable copies of the catalog versions seen, one per version: the definitions a run was
 * accepted with stay readable after the catalog has moved on.
 */
public interface CatalogVersions {

    /**
     * Stores a version's files unless that version is stored already (by this or another replica:
     * the first writer wins, and the content of one version is the same for all of them).
     *
     * @return whether this call stored it
     */
    boolean store(String version, Instant loadedAt, SortedMap<String, byte[]> files);

    /** The files of a stored version, file name to content. */
    Optional<SortedMap<String, byte[]>> files(String version);

    /** The versions stored, newest first, at most {@code limit}. */
    List<StoredVersion> newest(int limit);

    /**
     * Deletes the versions first loaded before {@code loadedBefore} that no active (non-final) run
     * was accepted with, never {@code current}; final runs keep their version's name, not its files.
     *
     * @return how many were deleted
     */
    int prune(Instant loadedBefore, String current);

    /** A version and when it was first loaded. */
    record StoredVersion(String version, Instant loadedAt) {}
}
