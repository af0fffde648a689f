// A shellTransform for docs/behaviors.md: standin passes the request and the response as JSON in
// MB_REQUEST and MB_RESPONSE; what this prints on stdout is the new response.
const request = JSON.parse(process.env.MB_REQUEST);
const response = JSON.parse(process.env.MB_RESPONSE);
response.headers = { ...response.headers, 'X-Name': request.query.name ?? 'nobody' };
console.log(JSON.stringify(response));
