-- Search reads the published offers in a latitude/longitude box, nearest first, from this index alone (it holds
-- every column the first step needs; the rowid is the offer id). It replaces the plain location index.
DROP INDEX offers_public_location;
CREATE INDEX offers_published_location ON offers (public_lat, public_lon, kind, languages) WHERE status = 'published';
