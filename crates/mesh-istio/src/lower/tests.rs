//! Table tests of the Istio lowering.
