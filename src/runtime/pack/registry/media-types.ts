/** The media types upstream's distributor client pulls and accepts (greentic-distributor-client). */

export const OCI_IMAGE_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_IMAGE_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_ARTIFACT_MANIFEST = 'application/vnd.oci.artifact.manifest.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const OCI_EMPTY_CONFIG = 'application/vnd.oci.empty.v1+json';

/** Manifest types a pull accepts, in the order of the Accept header. */
export const MANIFEST_MEDIA_TYPES = [OCI_IMAGE_MANIFEST, OCI_ARTIFACT_MANIFEST, OCI_IMAGE_INDEX, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST];

export const COMPONENT_MANIFEST_LAYER = 'application/vnd.greentic.component.manifest+json';
export const COMPONENT_MANIFEST_V1_LAYER = 'application/vnd.greentic.component.manifest.v1+json';
export const WASM_COMPONENT_LAYER = 'application/vnd.wasm.component.v1+wasm';

/** Component layers in upstream's order of preference; the first present wins. */
export const COMPONENT_LAYER_PREFERENCE = [
  WASM_COMPONENT_LAYER,
  'application/vnd.module.wasm.content.layer.v1+wasm',
  'application/vnd.greentic.wasm.component',
  'application/wasm',
  COMPONENT_MANIFEST_LAYER,
  COMPONENT_MANIFEST_V1_LAYER,
  'application/vnd.greentic.component.package.v1+json',
  'application/octet-stream',
];

/** The layer type of a pushed `.gtpack` (the first zip type upstream's pack fetcher prefers). */
export const GTPACK_LAYER = 'application/vnd.greentic.gtpack.v1+zip';
