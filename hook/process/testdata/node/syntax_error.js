exports.handler = async (event) => {
  return { sessionState: {
};
